// DEV ONLY: mounts the real App on the fake host (see fake-lab.ts).
import { mount } from 'svelte';
import { fakeLab } from './fake-lab';
import App from '../App.svelte';

window.lab = fakeLab();
mount(App, { target: document.getElementById('app')! });
