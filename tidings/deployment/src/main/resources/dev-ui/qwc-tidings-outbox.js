import { QwcHotReloadElement, html, css } from 'qwc-hot-reload-element';
import { JsonRpc } from 'jsonrpc';
import '@vaadin/grid';
import '@vaadin/progress-bar';

/** The outbox per subscriber kind, read again every few seconds while the page is open. */
export class QwcTidingsOutbox extends QwcHotReloadElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        :host { display: flex; flex-direction: column; height: 100%; padding: 0 1em; }
        .empty { padding: 1em 0; }
        .error { color: var(--lumo-error-text-color); }
    `;

    static properties = {
        _rows: { state: true },
        _error: { state: true },
    };

    connectedCallback() {
        super.connectedCallback();
        this.hotReload();
        this._timer = setInterval(() => this.hotReload(), 5000);
    }

    disconnectedCallback() {
        clearInterval(this._timer);
        super.disconnectedCallback();
    }

    hotReload() {
        this.jsonRpc.outbox()
            .then(response => { this._rows = response.result; this._error = null; })
            .catch(failure => { this._error = failure?.error?.message ?? 'The outbox could not be read'; });
    }

    render() {
        if (this._error) {
            return html`<p class="error">${this._error}</p>`;
        }
        if (!this._rows) {
            return html`<vaadin-progress-bar indeterminate></vaadin-progress-bar>`;
        }
        if (this._rows.length === 0) {
            return html`<p class="empty">Nothing pending, nothing dead in the last hour.</p>`;
        }
        return html`<vaadin-grid .items="${this._rows}" theme="row-stripes" all-rows-visible>
            <vaadin-grid-column path="kind" header="Kind"></vaadin-grid-column>
            <vaadin-grid-column path="pending" header="Pending"></vaadin-grid-column>
            <vaadin-grid-column path="oldestDueSeconds" header="Oldest due (s)"></vaadin-grid-column>
            <vaadin-grid-column path="deadLastHour" header="Dead, last hour"></vaadin-grid-column>
        </vaadin-grid>`;
    }
}
customElements.define('qwc-tidings-outbox', QwcTidingsOutbox);
