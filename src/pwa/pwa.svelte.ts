/// <reference types="vite-plugin-pwa/vanillajs" />
/**
 * The service worker (vite-plugin-pwa, generateSW, registerType 'prompt'): registered once on
 * startup in a production build. When a new version has been installed it waits; `pwa.needRefresh`
 * turns true and UpdatePrompt.svelte offers it. Nothing reloads until the student says so.
 */
import { registerSW } from 'virtual:pwa-register';

/** Look for a new version this often while the app stays open (a lesson can last a while). */
const CHECK_EVERY_MS = 60 * 60 * 1000;

class Pwa {
  /** A new version is installed and waiting. */
  needRefresh = $state(false);
  /** The app is cached and works offline. */
  offlineReady = $state(false);
  #update: ((reload?: boolean) => Promise<void>) | null = null;
  #started = false;

  start(): void {
    if (this.#started || typeof window === 'undefined' || !('serviceWorker' in navigator)) return;
    this.#started = true;
    this.#update = registerSW({
      onNeedRefresh: () => { this.needRefresh = true; },
      onOfflineReady: () => { this.offlineReady = true; },
      onRegisteredSW: (_swUrl, registration) => {
        if (!registration) return;
        setInterval(() => {
          if (navigator.onLine) registration.update().catch(() => { /* unreachable: try again later */ });
        }, CHECK_EVERY_MS);
      },
      onRegisterError: (e: unknown) => console.warn('Redis Sandbox: the service worker did not register; the app will not work offline.', e),
    });
  }

  /** Activate the waiting version; the page reloads once it controls the page. */
  async reload(): Promise<void> {
    this.needRefresh = false;
    await this.#update?.(true);
  }

  /** Keep the current version for now (the new one is used the next time the app starts). */
  later(): void {
    this.needRefresh = false;
  }
}

export const pwa = new Pwa();
