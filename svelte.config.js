import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** Read by the Vite plugin (electron.vite.config.ts points at this file), svelte-check and eslint-plugin-svelte. */
export default {
  preprocess: vitePreprocess(),
  compilerOptions: {
    runes: true,
  },
};
