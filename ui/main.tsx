// Entry point: mount the panel. build.mjs bundles this file into dist/ui.html.
import { render } from 'preact';
import { App } from './app';
import './styles.css';

const root = document.getElementById('app');
if (root) render(<App />, root);
