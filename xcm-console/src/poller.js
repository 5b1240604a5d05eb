// One bulk Jolokia request per tick for the view on screen: the view says what to read
// (requests()) and draws the replies (update()). Ticks never overlap; a hidden tab stops polling.
import { Refused, SessionEnded } from './api.js';

export const COLLECT_INTERVAL_MS = 5000;

export class Poller {
  /**
   * @param client jolokiaClient(...)
   * @param onError (message or null) shown or cleared in the page's poll banner
   */
  constructor(client, onError, intervalMs = COLLECT_INTERVAL_MS) {
    this.client = client;
    this.onError = onError;
    this.intervalMs = intervalMs;
    this.view = null;
    this.timer = null;
    this.running = false;
    this.stopped = false;
    this.again = false;
    this.visibility = () => {
      if (!document.hidden) this.now();
    };
    document.addEventListener('visibilitychange', this.visibility);
  }

  /** Shows a view: polls it at once, then every interval. */
  show(view) {
    this.view = view;
    this.now();
  }

  /** Polls now (after an action), or as soon as the running tick ends. */
  now() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    if (this.running) this.again = true;
    else this.tick();
  }

  /** Polls every `seconds` (the coordinator's collect interval) from the next tick on, 1 s to 60 s. */
  every(seconds) {
    if (!Number.isFinite(seconds) || seconds <= 0) return;
    this.intervalMs = Math.min(60_000, Math.max(1000, Math.round(seconds * 1000)));
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    document.removeEventListener('visibilitychange', this.visibility);
  }

  async tick() {
    const view = this.view;
    if (!view || this.stopped) return;
    this.running = true;
    try {
      const requests = view.requests();
      const replies = requests.length > 0 ? await this.client.bulk(requests) : [];
      if (view === this.view && !this.stopped) {
        view.update(replies);
        this.onError(null);
      }
    } catch (e) {
      if (e instanceof SessionEnded) {
        this.stop();
        return;
      }
      this.onError(e instanceof Refused ? e.message : `the console failed: ${e?.message ?? e}`);
      if (!(e instanceof Refused)) console.error(e);
    } finally {
      this.running = false;
    }
    if (this.stopped) return;
    if (this.again) {
      this.again = false;
      this.tick();
    } else if (!document.hidden) {
      this.timer = setTimeout(() => this.tick(), this.intervalMs);
    }
  }
}
