import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

/** The app's dark theme (src/ui/global.css: --bg). */
const THEME = '#0b0e13';

export default defineConfig({
  // Relative asset URLs: the build works from any sub-path (GitHub Pages, a file server folder).
  base: './',
  plugins: [
    svelte(),
    // Offline: a generated service worker precaches the whole app. registerType 'prompt': a new
    // version is offered (src/pwa/UpdatePrompt.svelte), never forced in the middle of a lesson.
    VitePWA({
      registerType: 'prompt',
      strategies: 'generateSW',
      injectRegister: false, // src/pwa/register.ts registers it through virtual:pwa-register
      filename: 'sw.js',
      manifestFilename: 'manifest.webmanifest',
      includeManifestIcons: false, // public/ is precached by workbox.globPatterns below
      manifest: {
        id: './',
        name: 'Redis Sandbox',
        short_name: 'Redis Sandbox',
        description: 'Type real Redis commands and watch what Redis does inside: a Redis 7.0 engine in your browser, offline.',
        lang: 'en',
        start_url: './',
        scope: './',
        display: 'standalone',
        theme_color: THEME,
        background_color: THEME,
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // Everything the app can load, the worker chunk and the lazily loaded fallback engine included
        // (sourcemaps are not precached; the manifest is added by the plugin).
        globPatterns: ['**/*.{js,mjs,css,html,svg,png,ico,json,woff,woff2,wasm,md,txt}'],
        globIgnores: ['**/*.map'],
        navigateFallback: 'index.html',
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        cleanupOutdatedCaches: true,
        // The new version waits until the student chooses "Reload".
        skipWaiting: false,
        clientsClaim: true, // the first install controls the page at once (an update still waits)
      },
    }),
  ],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
});
