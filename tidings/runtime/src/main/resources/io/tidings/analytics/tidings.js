// tidings.js 1: the browser emitter for Tidings' analytics relay. An ES module, no dependencies.
//   import { tidings } from '/tidings.js';
//   tidings.consent(true);                       // when the user agrees, if the operator requires it
//   tidings.track('client:screen_viewed', { screen: 'home', load_ms: 120 });
// Events wait in a queue and leave in batches of up to 50: on an interval, when 50 are waiting, and
// with navigator.sendBeacon when the page is hidden. 429 and 5xx are retried with backoff (honouring
// Retry-After) under the batch's Idempotency-Key, so a batch whose answer was lost is not recorded
// twice; what the relay refuses as invalid is dropped and reported. Nothing leaves while
// consent is required and not given, or while Do Not Track is on and the operator honours it.
const STORED = 'tidings.consent';
const MOST = 50;

export function createTidings({ base = '', interval = 5000, maxQueue = 1000, onRejected, storage = globalThis.localStorage } = {}) {
  const url = base + '/api/analytics';
  let queue = [], config = null, failures = 0, notBefore = 0, sending = false, batch = null;
  const newKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  // The batch at the head of the queue keeps its key until the relay has answered it.
  const head = () => batch || (batch = { key: newKey(), events: queue.slice(0, MOST) });
  const sent = (b) => { if (batch === b) { queue = queue.slice(b.events.length); batch = null; } };
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
    const current = head(), { key, events } = current;
    try {
      const response = await fetch(url, { method: 'POST', keepalive: true, credentials: 'omit',
        headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(events) });
      if (response.ok) {
        sent(current); failures = 0; notBefore = 0;
      } else if (response.status === 429 || response.status >= 500) {
        backOff(response);
      } else {
        sent(current);
        const refusal = await response.json().catch(() => ({}));
        report(events, refusal.error || 'HTTP ' + response.status);
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
      const current = head(), { key, events } = current;
      // text/plain needs no CORS preflight, which a beacon cannot make; nor can it set a header
      if (!navigator.sendBeacon(url + '?idempotency_key=' + key, new Blob([JSON.stringify(events)], { type: 'text/plain' }))) return;
      sent(current);
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
      if (queue.length > maxQueue) { queue = queue.slice(queue.length - maxQueue); batch = null; }
      if (queue.length >= MOST) flush();
    },
    consent(given) {
      choice = given ? 'granted' : 'denied';
      try { storage && storage.setItem(STORED, choice); } catch (e) { /* private mode: remembered for this page only */ }
      if (!given) { queue = []; batch = null; }
      flush();
    },
    consentRequired: () => loaded.then(() => config !== null && config.consentRequired),
    flush,
    pending: () => queue.length,
    stop() { clearInterval(timer); },
  };
}

export const tidings = typeof window === 'undefined' ? null : createTidings(window.tidingsOptions || {});
