// tidings.js 1: the browser emitter for Tidings' analytics relay. An ES module, no dependencies.
//   import { tidings } from '/tidings.js';
//   tidings.consent(true);                       // when the user agrees, if the operator requires it
//   tidings.track('client:screen_viewed', { screen: 'home', load_ms: 120 });
// Events wait in a queue and leave in batches of up to 50: on an interval, when 50 are waiting, and
// with navigator.sendBeacon when the page is hidden. 429 and 5xx are retried with backoff (honouring
// Retry-After); what the relay refuses as invalid is dropped and reported. Nothing leaves while
// consent is required and not given, or while Do Not Track is on and the operator honours it.
const STORED = 'tidings.consent';
const MOST = 50;

export function createTidings({ base = '', interval = 5000, maxQueue = 1000, onRejected, storage = globalThis.localStorage } = {}) {
  const url = base + '/api/analytics';
  let queue = [], config = null, failures = 0, notBefore = 0, sending = false;
  const remembered = () => { try { return storage && storage.getItem(STORED); } catch (e) { return null; } };
  let choice = remembered();

  const allowed = () => config !== null
    && !(config.honorDoNotTrack && (navigator.doNotTrack === '1' || globalThis.doNotTrack === '1'))
    && (!config.consentRequired || choice === 'granted');

  const report = (events, reason) => {
    console.warn('tidings: the relay refused ' + events.length + ' event(s): ' + reason);
    if (onRejected) onRejected(events, reason);
  };

  const backOff = (response) => {
    const asked = response && Number(response.headers.get('Retry-After'));
    failures++;
    notBefore = Date.now() + Math.max(asked > 0 ? asked * 1000 : 0, Math.min(60000, 1000 * 2 ** (failures - 1)));
  };

  async function flush() {
    if (sending || !allowed() || queue.length === 0 || Date.now() < notBefore) return;
    sending = true;
    const batch = queue.slice(0, MOST);
    try {
      const response = await fetch(url, { method: 'POST', keepalive: true, credentials: 'omit',
        headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
      if (response.ok) {
        queue = queue.slice(batch.length); failures = 0; notBefore = 0;
      } else if (response.status === 429 || response.status >= 500) {
        backOff(response);
      } else {
        queue = queue.slice(batch.length);
        const refusal = await response.json().catch(() => ({}));
        report(batch, refusal.error || 'HTTP ' + response.status);
      }
    } catch (unreachable) {
      backOff(null);
    } finally {
      sending = false;
    }
    if (queue.length >= MOST) flush();
  }

  function beacon() {
    if (!allowed() || !navigator.sendBeacon) return;
    while (queue.length > 0) {
      const batch = queue.slice(0, MOST);
      // text/plain needs no CORS preflight, which a beacon cannot make
      if (!navigator.sendBeacon(url, new Blob([JSON.stringify(batch)], { type: 'text/plain' }))) return;
      queue = queue.slice(batch.length);
    }
  }

  const loaded = fetch(base + '/api/analytics/config', { credentials: 'omit' })
    .then((response) => response.ok ? response.json() : Promise.reject(new Error('HTTP ' + response.status)))
    .then((answer) => { config = answer; flush(); })
    .catch((error) => console.warn('tidings: no relay configuration, nothing is sent (' + error.message + ')'));
  const timer = setInterval(flush, interval);
  addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') beacon(); });
  addEventListener('pagehide', beacon);

  return {
    track(event, properties = {}) {
      if (choice === 'denied') return;
      queue.push({ event, properties });
      if (queue.length > maxQueue) queue = queue.slice(queue.length - maxQueue);
      if (queue.length >= MOST) flush();
    },
    consent(given) {
      choice = given ? 'granted' : 'denied';
      try { storage && storage.setItem(STORED, choice); } catch (e) { /* private mode: remembered for this page only */ }
      if (!given) queue = [];
      flush();
    },
    consentRequired: () => loaded.then(() => config !== null && config.consentRequired),
    flush,
    pending: () => queue.length,
    stop() { clearInterval(timer); },
  };
}

export const tidings = typeof window === 'undefined' ? null : createTidings(window.tidingsOptions || {});
