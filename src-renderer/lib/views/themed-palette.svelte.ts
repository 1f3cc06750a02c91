/**
 * A canvas view's colours, read from the theme's CSS variables on its own element and read
 * again whenever the theme changes (the OS scheme, or the app's data-theme / data-palette / class). Call it
 * while the component initialises: it sets up an effect and a MutationObserver.
 *
 *   const themed = themedPalette(() => box, readPalette, DEFAULT_PALETTE);
 *   const palette = $derived(themed.current);
 */
import { onMount } from 'svelte';
import { MediaQuery } from 'svelte/reactivity';

export function themedPalette<P>(box: () => HTMLElement | undefined, read: (cssVar: (name: string) => string) => P, initial: P): { readonly current: P } {
  let current = $state.raw(initial);
  const refresh = (): void => {
    const el = box();
    if (!el) return;
    const cs = getComputedStyle(el);
    current = read((v) => cs.getPropertyValue(v));
  };
  const dark = new MediaQuery('(prefers-color-scheme: dark)');
  $effect(() => {
    void dark.current;
    refresh();
  });
  onMount(() => {
    const mo = new MutationObserver(refresh);
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'data-palette', 'class'] });
    return () => mo.disconnect();
  });
  return {
    get current() {
      return current;
    },
  };
}
