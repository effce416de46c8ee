/// The dashboard: one HTML page with inline CSS and JavaScript, no build step and no outside network. It polls
/// `api/stats` (relative, so it works under any prefix) every second and draws the pipeline's figures, charts of the
/// last five minutes on `<canvas>`, rejects and violations, users by country and gender, the latest users and the
/// scheduler's runs. With `#token=…` in the address it sends `Authorization: Bearer …`. Everything from the API is put
/// in the DOM with `textContent`. For browser tests each headline figure sits in a `data-figure` element whose
/// `data-value` is the raw number (`stored`, `produced`, `rejected`, `fetched`, `lag`, `latency-p99`, and `status`
/// with the state), `body[data-updates]` counts the renders, and each country bar carries `data-country` and
/// `data-value` (`scripts/lib/dashboard-check.py` reads them).
public enum DashboardPage {
    /// The page, served at `/` and `/dashboard`.
    public static let html: String = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>UserStream</title>
        <style>
        :root{--bg:#f2f4f7;--card:#fff;--ink:#18202d;--mute:#667085;--line:#e2e6ed;--green:#12a150;--red:#d92d20;--grey:#7d8799;--blue:#2f6fdf;--orange:#e08a00;--purple:#7a4cd9;--teal:#0e9384}
        *{box-sizing:border-box}
        [hidden]{display:none!important}
        body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;background:var(--bg);color:var(--ink)}
        header{display:flex;align-items:center;gap:14px;padding:12px 24px;background:#141a26;color:#fff}
        header h1{font-size:20px;margin:0;font-weight:650;letter-spacing:.2px}
        .pill{display:inline-flex;align-items:center;gap:6px;padding:3px 11px;border-radius:999px;font-size:13px;font-weight:600;background:var(--grey);color:#fff}
        .pill::before{content:"";width:8px;height:8px;border-radius:50%;background:#fff;opacity:.85}
        .pill.running{background:var(--green)}.pill.stalled{background:var(--red)}.pill.disconnected{background:#b54708}
        .hdr{color:#c3cad6;font-size:13px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
        #storeinfo{margin-left:auto}
        #banner{margin:12px 24px 0;padding:11px 16px;border-radius:8px;background:var(--red);color:#fff;font-size:17px;font-weight:650}
        main{padding:12px 24px 6px}
        .tiles{display:grid;grid-template-columns:repeat(4,minmax(0,1.3fr)) repeat(5,minmax(0,1fr));gap:10px}
        .tile{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 11px;min-width:0}
        .tile .k{font-size:11px;color:var(--mute);text-transform:uppercase;letter-spacing:.5px;white-space:nowrap}
        .tile .v{display:block;font-size:20px;font-weight:650;font-variant-numeric:tabular-nums;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;letter-spacing:-.2px}
        .tile .s{font-size:11px;color:var(--mute);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
        .row{display:grid;gap:10px;margin-top:10px}
        .charts{grid-template-columns:repeat(4,minmax(0,1fr))}
        .lower{grid-template-columns:minmax(0,1fr) minmax(0,1.7fr) minmax(0,1fr);align-items:start}
        .stack{display:grid;gap:10px}
        .card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:9px 12px;min-width:0}
        .card h2{font-size:12px;margin:0 0 6px;color:var(--mute);font-weight:650;text-transform:uppercase;letter-spacing:.5px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
        .charts h2{margin-bottom:2px}
        .legend{display:flex;flex-wrap:wrap;gap:2px 12px;font-size:12px;min-height:17px;color:var(--ink);font-variant-numeric:tabular-nums;white-space:nowrap}
        .legend i{display:inline-block;width:10px;height:3px;border-radius:2px;vertical-align:middle;margin-right:4px}
        canvas{display:block;width:100%;height:140px;margin-top:4px}
        table{width:100%;border-collapse:collapse;font-variant-numeric:tabular-nums;table-layout:fixed}
        td,th{padding:3px 6px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
        th{color:var(--mute);font-weight:600;font-size:12px}
        tr:last-child td{border-bottom:0}
        .n{text-align:right}
        .mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
        .bar{display:grid;grid-template-columns:104px minmax(0,1fr) 62px;align-items:center;gap:8px;padding:1px 0;font-size:13px}
        .bar .name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
        .bar .track{background:#edf0f5;height:11px;border-radius:3px;overflow:hidden}
        .bar .fill{background:var(--blue);height:100%;border-radius:3px}
        .bar.other .fill{background:#98a2b3}
        .bar .cnt{text-align:right;font-variant-numeric:tabular-nums}
        .empty{color:var(--mute);font-style:italic;padding:2px 0}
        footer{padding:4px 24px 14px;color:var(--mute);font-size:12px;display:flex;gap:22px}
        </style>
        </head>
        <body data-updates="0">
        <header>
          <h1>UserStream</h1>
          <span class="pill" id="pill" data-figure="status" data-value="">connecting</span>
          <span class="hdr" id="reason"></span>
          <span class="hdr" id="storeinfo"></span>
        </header>
        <div id="banner" role="alert" hidden></div>
        <main>
          <section class="tiles">
            <div class="tile"><div class="k">Stored</div><span class="v" data-figure="stored" data-value="">—</span><div class="s" id="s-stored">&nbsp;</div></div>
            <div class="tile"><div class="k">Produced</div><span class="v" data-figure="produced" data-value="">—</span><div class="s" id="s-produced">&nbsp;</div></div>
            <div class="tile"><div class="k">Rejected</div><span class="v" data-figure="rejected" data-value="">—</span><div class="s" id="s-rejected">&nbsp;</div></div>
            <div class="tile"><div class="k">Fetched</div><span class="v" data-figure="fetched" data-value="">—</span><div class="s" id="s-fetched">&nbsp;</div></div>
            <div class="tile"><div class="k">Stored / s</div><span class="v" id="v-rate">—</span><div class="s" id="s-rate">&nbsp;</div></div>
            <div class="tile"><div class="k">Latency p50</div><span class="v" id="v-p50">—</span><div class="s" id="s-p50">&nbsp;</div></div>
            <div class="tile"><div class="k">Latency p99</div><span class="v" data-figure="latency-p99" data-value="">—</span><div class="s" id="s-p99">end to end</div></div>
            <div class="tile"><div class="k">Lag</div><span class="v" data-figure="lag" data-value="">—</span><div class="s" id="s-lag">&nbsp;</div></div>
            <div class="tile"><div class="k">Uptime</div><span class="v" id="v-uptime">—</span><div class="s" id="s-uptime">&nbsp;</div></div>
          </section>
          <section class="row charts">
            <div class="card"><h2>Throughput</h2><div class="legend" id="lg-throughput"></div><canvas id="c-throughput"></canvas></div>
            <div class="card"><h2>Latency</h2><div class="legend" id="lg-latency"></div><canvas id="c-latency"></canvas></div>
            <div class="card"><h2>Lag</h2><div class="legend" id="lg-lag"></div><canvas id="c-lag"></canvas></div>
            <div class="card"><h2>Rejects &amp; violations</h2><div class="legend" id="lg-rejects"></div><canvas id="c-rejects"></canvas></div>
          </section>
          <section class="row lower">
            <div class="stack">
              <div class="card"><h2>By country</h2><div id="countries"></div></div>
              <div class="card"><h2>By gender</h2><div id="genders"></div></div>
            </div>
            <div class="card"><h2>Latest users</h2>
              <table>
                <colgroup><col style="width:15%"><col style="width:27%"><col style="width:12%"><col style="width:22%"><col style="width:9%"><col style="width:15%"></colgroup>
                <thead><tr><th>ID</th><th>Name</th><th>Gender</th><th>Country</th><th class="n">Age</th><th class="n">Stored</th></tr></thead>
                <tbody id="latest"></tbody>
              </table>
            </div>
            <div class="stack">
              <div class="card"><h2>Rejects by reason</h2><table><tbody id="rejects"></tbody></table></div>
              <div class="card"><h2>Violations by rule</h2><table><tbody id="violations"></tbody></table></div>
              <div class="card" id="sched" hidden><h2>Scheduler runs</h2><table><tbody id="runs"></tbody></table></div>
            </div>
          </section>
        </main>
        <footer><span id="parts">parts: —</span><span id="updated">not updated yet</span></footer>
        <script>
        (function () {
          'use strict';
          var POLL_MS = 1000;
          var COLORS = { blue: '#2f6fdf', green: '#12a150', red: '#d92d20', orange: '#e08a00', purple: '#7a4cd9', grid: '#e6e9ef', text: '#667085' };
          var updates = 0;
          var last = null;
          var lastOk = null;

          var token = null;
          try { token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token'); } catch (e) { token = null; }

          function byId(id) { return document.getElementById(id); }
          function fig(name) { return document.querySelector('[data-figure="' + name + '"]'); }
          function num(v) { return typeof v === 'number' && isFinite(v) ? v : null; }
          function obj(v) { return v && typeof v === 'object' && !Array.isArray(v) ? v : {}; }

          var nf = new Intl.NumberFormat('en-US');
          function fmtInt(v) { v = num(v); return v === null ? '—' : nf.format(Math.round(v)); }
          function fmtRate(v) {
            v = num(v);
            if (v === null) return '—';
            return v >= 100 || v === 0 ? nf.format(Math.round(v)) : v.toFixed(1);
          }
          function fmtCompact(v) {
            var a = Math.abs(v);
            if (a >= 1e9) return +(v / 1e9).toFixed(1) + 'G';
            if (a >= 1e6) return +(v / 1e6).toFixed(1) + 'M';
            if (a >= 1e3) return +(v / 1e3).toFixed(1) + 'k';
            return String(+v.toFixed(a < 10 ? 1 : 0));
          }
          function fmtSmall(v) { v = num(v); return v === null ? '—' : v >= 1e6 ? fmtCompact(v) : fmtInt(v); }
          function fmtMs(v) {
            v = num(v);
            if (v === null) return '—';
            if (v < 1000) return Math.round(v) + ' ms';
            if (v < 60000) return (v / 1000).toFixed(v < 10000 ? 2 : 1) + ' s';
            return (v / 60000).toFixed(1) + ' min';
          }
          function fmtMsAxis(v) { return v < 1000 ? Math.round(v) + ' ms' : +(v / 1000).toFixed(1) + ' s'; }
          function pad(n) { return (n < 10 ? '0' : '') + n; }
          function fmtDuration(s) {
            s = num(s);
            if (s === null || s < 0) return '—';
            s = Math.floor(s);
            var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60), sec = s % 60;
            if (d > 0) return d + 'd ' + h + 'h';
            if (h > 0) return h + 'h ' + pad(m) + 'm';
            if (m > 0) return m + 'm ' + pad(sec) + 's';
            return sec + 's';
          }
          function clock(ms) {
            var d = new Date(ms);
            if (isNaN(d.getTime())) return '—';
            return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
          }
          function make(tag, cls, text) {
            var e = document.createElement(tag);
            if (cls) e.className = cls;
            if (text !== undefined && text !== null) e.textContent = String(text);
            return e;
          }
          // Shrinks a tile's figure until it fits its tile (big totals on narrow screens).
          function fit(e) {
            if (!e || !e.classList.contains('v')) return;
            e.style.fontSize = '';
            var size = 20;
            while (e.scrollWidth > e.clientWidth && size > 12) { size -= 1; e.style.fontSize = size + 'px'; }
            e.title = e.scrollWidth > e.clientWidth ? e.textContent : '';
          }
          function setFigure(name, value, text) {
            var e = fig(name);
            if (!e) return;
            e.dataset.value = value === null || value === undefined ? '' : String(value);
            e.textContent = text;
            fit(e);
          }
          function setText(id, text) { var e = byId(id); if (e) { e.textContent = text; fit(e); } }
          function sortedEntries(o, otherLast) {
            return Object.keys(obj(o)).map(function (k) { return [k, num(o[k]) || 0]; }).sort(function (a, b) {
              if (otherLast) {
                if (a[0] === 'other' && b[0] !== 'other') return 1;
                if (b[0] === 'other' && a[0] !== 'other') return -1;
              }
              return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
            });
          }

          // ---- header, banner, tiles ----
          function renderStatus(s) {
            var st = obj(s.status);
            var state = typeof st.state === 'string' ? st.state : 'unknown';
            var pill = byId('pill');
            pill.className = 'pill ' + state.replace(/[^a-z]/g, '');
            pill.dataset.value = state;
            pill.textContent = state;
            setText('reason', typeof st.reason === 'string' ? st.reason : '');
            var store = s.store ? obj(s.store) : null;
            var info = '';
            if (store && store.kind) {
              info = 'store: ' + store.kind;
              if (store.failing) info += num(store.outage_seconds) !== null ? ' · failing for ' + Math.round(store.outage_seconds) + ' s' : ' · failing';
            }
            setText('storeinfo', info);
            var banner = byId('banner');
            if (state === 'stalled') {
              var msg;
              if (store && store.failing) {
                msg = num(store.outage_seconds) !== null
                  ? 'Stalled: the store has been failing for ' + Math.round(store.outage_seconds) + ' s'
                  : 'Stalled: the store is failing';
              } else {
                msg = 'Stalled: ' + (typeof st.reason === 'string' && st.reason ? st.reason : 'no progress');
              }
              banner.textContent = msg;
              banner.hidden = false;
            } else {
              banner.hidden = true;
            }
          }

          function renderTiles(s) {
            var t = obj(s.totals), r = obj(s.rates), l = obj(s.latency), lag = obj(s.lag);
            ['stored', 'produced', 'rejected', 'fetched'].forEach(function (k) {
              setFigure(k, num(t[k]) === null ? 0 : t[k], fmtInt(t[k] || 0));
            });
            setText('s-stored', 'consumed ' + fmtSmall(t.consumed || 0) + ' · dup ' + fmtSmall(t.duplicates || 0));
            setText('s-produced', 'errors ' + fmtInt(t.produce_errors || 0) + ' · ' + fmtRate(r.produced_per_second) + '/s');
            setText('s-rejected', fmtRate(r.rejected_per_second) + '/s');
            setText('s-fetched', fmtRate(r.fetched_per_second) + '/s');
            setText('v-rate', fmtInt(r.stored_per_second));
            setText('s-rate', 'store retries ' + fmtInt(t.store_retries || 0));
            setText('v-p50', fmtMs(l.p50_ms));
            setText('s-p50', 'n = ' + fmtSmall(l.count || 0));
            var p99 = num(l.p99_ms);
            setFigure('latency-p99', p99, l.p99_at_cap === true ? '≥ 60 s' : fmtMs(p99));
            var total = num(lag.total);
            setFigure('lag', total, total === null ? '—' : fmtInt(total));
            var parts = Array.isArray(lag.partitions) ? lag.partitions.length : 0;
            setText('s-lag', total === null ? 'unknown' : parts + (parts === 1 ? ' partition' : ' partitions'));
            setText('v-uptime', fmtDuration(s.uptime_seconds));
            setText('s-uptime', 'since ' + clock(Date.now() - (num(s.uptime_seconds) || 0) * 1000));
          }

          // ---- charts ----
          function niceMax(v) {
            if (!(v > 0)) return 1;
            var e = Math.pow(10, Math.floor(Math.log10(v)));
            var f = v / e;
            return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * e;
          }

          function legend(id, series, hist, fmt) {
            var box = byId(id);
            box.replaceChildren();
            series.forEach(function (se) {
              var latest = null;
              for (var i = hist.length - 1; i >= 0; i--) {
                var v = num(obj(hist[i])[se.key]);
                if (v !== null) { latest = v; break; }
              }
              var item = make('span');
              var sw = make('i');
              sw.style.background = se.color;
              item.appendChild(sw);
              item.appendChild(document.createTextNode(se.label + ' ' + (latest === null ? '—' : fmt(latest))));
              box.appendChild(item);
            });
          }

          function drawChart(canvas, hist, series, axisFmt) {
            var dpr = window.devicePixelRatio || 1;
            var w = canvas.clientWidth, h = canvas.clientHeight;
            if (!w || !h) return;
            var pw = Math.round(w * dpr), ph = Math.round(h * dpr);
            if (canvas.width !== pw || canvas.height !== ph) { canvas.width = pw; canvas.height = ph; }
            var c = canvas.getContext('2d');
            c.setTransform(dpr, 0, 0, dpr, 0, 0);
            c.clearRect(0, 0, w, h);
            c.font = '11px system-ui, sans-serif';
            var L = 2, R = w - 2, T = 14, B = h - 16;
            var pts = hist.filter(function (p) { return p && num(p.t) !== null; });
            c.strokeStyle = COLORS.grid;
            c.lineWidth = 1;
            [T, (T + B) / 2, B].forEach(function (y) {
              c.beginPath(); c.moveTo(L, Math.round(y) + 0.5); c.lineTo(R, Math.round(y) + 0.5); c.stroke();
            });
            c.fillStyle = COLORS.text;
            if (!pts.length) {
              c.textAlign = 'center'; c.textBaseline = 'middle';
              var tw = c.measureText('no data yet').width;
              c.clearRect(w / 2 - tw / 2 - 6, (T + B) / 2 - 8, tw + 12, 16);
              c.fillText('no data yet', w / 2, (T + B) / 2);
              return;
            }
            var t0 = pts[0].t, t1 = pts[pts.length - 1].t;
            var max = 0;
            pts.forEach(function (p) {
              series.forEach(function (se) { var v = num(p[se.key]); if (v !== null && v > max) max = v; });
            });
            var top = niceMax(max);
            c.textBaseline = 'bottom'; c.textAlign = 'left';
            c.fillText('max ' + axisFmt(top), L, T - 1);
            c.textBaseline = 'top';
            c.fillText(t1 > t0 ? '−' + fmtDuration((t1 - t0) / 1000) : '', L, B + 3);
            c.textAlign = 'right';
            c.fillText(clock(t1), R, B + 3);
            function x(t) { return t1 > t0 ? L + (t - t0) / (t1 - t0) * (R - L) : R; }
            function y(v) { return B - v / top * (B - T); }
            c.lineWidth = 1.6; c.lineJoin = 'round'; c.lineCap = 'round';
            series.forEach(function (se) {
              c.strokeStyle = se.color; c.fillStyle = se.color;
              c.beginPath();
              var open = false;
              for (var i = 0; i < pts.length; i++) {
                var v = num(pts[i][se.key]);
                if (v === null) { open = false; continue; }
                var px = x(pts[i].t), py = y(v);
                var prev = i > 0 ? num(pts[i - 1][se.key]) : null, next = i + 1 < pts.length ? num(pts[i + 1][se.key]) : null;
                if (prev === null && next === null) { c.fillRect(px - 1.5, py - 1.5, 3, 3); }
                if (open) c.lineTo(px, py); else { c.moveTo(px, py); open = true; }
              }
              c.stroke();
            });
          }

          var CHARTS = [
            { id: 'throughput', fmt: fmtRate, axis: function (v) { return fmtCompact(v) + '/s'; }, series: [
              { key: 'produced_per_second', label: 'produced', color: COLORS.blue },
              { key: 'stored_per_second', label: 'stored', color: COLORS.green }] },
            { id: 'latency', fmt: fmtMs, axis: fmtMsAxis, series: [
              { key: 'latency_p50_ms', label: 'p50', color: COLORS.blue },
              { key: 'latency_p99_ms', label: 'p99', color: COLORS.orange }] },
            { id: 'lag', fmt: fmtInt, axis: fmtCompact, series: [
              { key: 'lag', label: 'total', color: COLORS.purple }] },
            { id: 'rejects', fmt: fmtRate, axis: function (v) { return fmtCompact(v) + '/s'; }, series: [
              { key: 'rejected_per_second', label: 'rejected', color: COLORS.red },
              { key: 'violations_per_second', label: 'violations', color: COLORS.orange }] }
          ];

          function renderCharts(s) {
            var hist = Array.isArray(s.history) ? s.history : [];
            CHARTS.forEach(function (ch) {
              legend('lg-' + ch.id, ch.series, hist, ch.fmt);
              drawChart(byId('c-' + ch.id), hist, ch.series, ch.axis);
            });
          }

          // ---- tables and bars ----
          function countTable(id, o, emptyText) {
            var body = byId(id);
            var rows = sortedEntries(o, false);
            var sum = rows.reduce(function (a, r) { return a + r[1]; }, 0);
            body.replaceChildren();
            if (!rows.length) {
              var tr = make('tr'), td = make('td', 'empty', emptyText);
              td.colSpan = 3; tr.appendChild(td); body.appendChild(tr);
              return;
            }
            rows.forEach(function (r) {
              var tr = make('tr');
              var name = make('td', null, r[0]);
              name.title = r[0];
              var count = make('td', 'n', fmtInt(r[1]));
              var share = make('td', 'n', sum > 0 ? (r[1] / sum * 100).toFixed(1) + '%' : '');
              name.style.width = '50%'; count.style.width = '28%'; share.style.width = '22%';
              tr.appendChild(name); tr.appendChild(count); tr.appendChild(share);
              body.appendChild(tr);
            });
          }

          function bars(id, o, attr, emptyText) {
            var box = byId(id);
            var rows = sortedEntries(o, true);
            var max = rows.reduce(function (a, r) { return Math.max(a, r[1]); }, 0);
            box.replaceChildren();
            if (!rows.length) { box.appendChild(make('div', 'empty', emptyText)); return; }
            rows.forEach(function (r) {
              var row = make('div', 'bar' + (r[0] === 'other' ? ' other' : ''));
              row.setAttribute('data-' + attr, r[0]);
              row.dataset.value = String(r[1]);
              var name = make('span', 'name', r[0]);
              name.title = r[0];
              var track = make('span', 'track'), fill = make('span', 'fill');
              fill.style.display = 'block';
              fill.style.width = (max > 0 ? Math.max(r[1] / max * 100, r[1] > 0 ? 0.5 : 0) : 0).toFixed(2) + '%';
              track.appendChild(fill);
              row.appendChild(name); row.appendChild(track); row.appendChild(make('span', 'cnt', fmtInt(r[1])));
              box.appendChild(row);
            });
          }

          function renderLatest(s) {
            var body = byId('latest');
            var users = Array.isArray(s.latest) ? s.latest : [];
            body.replaceChildren();
            if (!users.length) {
              var tr = make('tr'), td = make('td', 'empty', 'no users stored yet');
              td.colSpan = 6; tr.appendChild(td); body.appendChild(tr);
              return;
            }
            users.forEach(function (u) {
              u = obj(u);
              var id = typeof u.user_id === 'string' ? u.user_id : String(u.user_id === undefined || u.user_id === null ? '' : u.user_id);
              var tr = make('tr');
              var idCell = make('td', 'mono', id.slice(0, 8));
              idCell.title = id;
              tr.appendChild(idCell);
              var name = make('td', null, u.name == null ? '—' : u.name);
              name.title = u.name == null ? '' : String(u.name);
              tr.appendChild(name);
              tr.appendChild(make('td', null, u.gender == null ? '—' : u.gender));
              var country = make('td', null, u.country == null ? '—' : u.country);
              country.title = u.country == null ? '' : String(u.country);
              tr.appendChild(country);
              tr.appendChild(make('td', 'n', num(u.age) === null ? '—' : u.age));
              tr.appendChild(make('td', 'n mono', num(u.processed_at) === null ? '—' : clock(u.processed_at)));
              body.appendChild(tr);
            });
          }

          function renderPanels(s) {
            countTable('rejects', s.rejects_by_reason, 'no rejects');
            countTable('violations', s.violations_by_rule, 'no violations');
            var runs = s.scheduler_runs;
            var sched = byId('sched');
            if (runs && typeof runs === 'object') {
              sched.hidden = false;
              countTable('runs', runs, 'no runs yet');
            } else {
              sched.hidden = true;
            }
            bars('countries', s.by_country, 'country', 'no users stored yet');
            bars('genders', s.by_gender, 'gender', 'no users stored yet');
            renderLatest(s);
            var parts = Array.isArray(s.parts) ? s.parts.map(String).join(', ') : '';
            setText('parts', 'parts: ' + (parts || '—'));
          }

          function render(s) {
            s = obj(s);
            renderStatus(s);
            renderTiles(s);
            renderPanels(s);
            renderCharts(s);
          }

          function disconnected(why) {
            var pill = byId('pill');
            pill.className = 'pill disconnected';
            pill.textContent = 'disconnected';
            setText('reason', String(why || 'no answer') + (lastOk ? ' · showing data from ' + clock(lastOk) : ''));
          }

          function poll() {
            var headers = {};
            if (token) headers.Authorization = 'Bearer ' + token;
            fetch('api/stats', { headers: headers, cache: 'no-store' })
              .then(function (r) {
                if (!r.ok) throw new Error('HTTP ' + r.status);
                return r.json();
              })
              .then(function (s) {
                last = s;
                try {
                  render(s);
                } catch (e) {
                  if (window.console) console.error('dashboard render failed', e);
                  return;
                }
                updates += 1;
                lastOk = Date.now();
                document.body.dataset.updates = String(updates);
                document.body.dataset.lastStats = '';
                setText('updated', 'updated ' + clock(lastOk));
              }, function (e) {
                disconnected(e && e.message ? e.message : e);
              })
              .then(function () { setTimeout(poll, POLL_MS); });
          }

          var resizeTimer = null;
          window.addEventListener('resize', function () {
            clearTimeout(resizeTimer);
            resizeTimer = setTimeout(function () { if (last) renderCharts(obj(last)); }, 100);
          });

          poll();
        })();
        </script>
        </body>
        </html>
        """#
}
