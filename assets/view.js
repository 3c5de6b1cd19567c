/* Kent Carers dashboard in the browser: the view in the address, presentation mode, printing.
 *
 * The clientside callbacks registered in dashboard/callbacks/shell.py call the functions in
 * window.dash_clientside.kentCarers; the rest are event listeners. Component ids come from the
 * callbacks' own inputs, never written here (a disclosure whose content is fetched is found by
 * its class). Nothing here sends a request itself: opening a table or "About" disclosure sets a
 * property, whose callback does; Dash's own callback requests pass through ``window.fetch``
 * here only so that an answer overtaken by a newer request is not drawn, and so that the
 * charts asked for are drawn before other answers are written.
 */
(function () {
  "use strict";

  const PRESENT_PARAMETER = "present";
  // Dash Pages' own location component: setting its search makes the page router rebuild the
  // page from the address (used on back/forward when a page control changed).
  const PAGES_LOCATION = "_pages_location";
  const SLIDES = "main .chart-card, main .headline-card";

  /* ---- The address ------------------------------------------------------------------- */

  let lastUserAction = 0;
  let lastWrite = 0;
  let filterParameters = [];
  let locationId = null;
  let shownPath = null;
  let shownView = null;

  // A history entry is added only for a change the user made; normalising a link replaces it.
  ["pointerdown", "keydown", "change"].forEach(function (type) {
    document.addEventListener(type, function () { lastUserAction = performance.now(); }, true);
  });

  function setParameters(values) {
    const params = new URLSearchParams(window.location.search);
    Object.keys(values).forEach(function (name) {
      const value = values[name];
      if (value === null || value === undefined || value === "") params.delete(name);
      else params.set(name, value);
    });
    const query = params.toString();
    const search = query ? "?" + query : "";
    if (search === window.location.search) return;
    const url = window.location.pathname + search + window.location.hash;
    if (lastUserAction > lastWrite) window.history.pushState(window.history.state, "", url);
    else window.history.replaceState(window.history.state, "", url);
    lastWrite = performance.now();
  }

  // The page's own part of a query: everything but the filters and presentation mode.
  function viewPart(search) {
    const params = new URLSearchParams(search);
    filterParameters.concat([PRESENT_PARAMETER]).forEach(function (name) { params.delete(name); });
    params.sort();
    return params.toString();
  }

  window.addEventListener("popstate", function () {
    const clientside = window.dash_clientside;
    if (!clientside || !clientside.set_props) return;
    // The whole address, href included: a location component whose href differs from the
    // address pushes its own href, which would add a stale entry to the history.
    const address = {
      pathname: window.location.pathname,
      search: window.location.search,
      hash: window.location.hash,
      href: window.location.href,
    };
    if (locationId) clientside.set_props(locationId, address);
    if (window.location.pathname === shownPath && viewPart(window.location.search) !== shownView) {
      clientside.set_props(PAGES_LOCATION, address);
    }
  });

  /* ---- Answers overtaken by a newer request ------------------------------------------- */

  // Dash ignores the answer to a callback request once the same callback has been requested
  // again, except (Dash 4.4) for a callback with an ALL output, as every page's charts have
  // (their cards' slots): there the answer for an earlier selection, if slower, lands after the
  // newer one and the charts show a selection the controls no longer do. So an answer reaches
  // Dash only if no newer request of its callback (the same outputs, MATCH values included) was
  // sent meanwhile; an overtaken one reaches it as "no update" (204) and is not drawn.
  const CALLBACK_PATH = "_dash-update-component";
  const latestRequest = new Map();
  let requestsSent = 0;

  function outputsOf(payload) {
    return Array.isArray(payload.outputs) ? payload.outputs : [payload.outputs];
  }

  function callbackOf(payload) {
    const resolved = outputsOf(payload).map(function (output) { return Array.isArray(output) ? "ALL" : output; });
    return payload.output + JSON.stringify(resolved);
  }

  const send = window.fetch.bind(window);
  window.fetch = function (resource, options) {
    const url = typeof resource === "string" ? resource : String((resource && resource.url) || "");
    if (url.indexOf(CALLBACK_PATH) === -1 || !options || typeof options.body !== "string") {
      return send(resource, options);
    }
    let callback;
    let drawsCharts;
    try {
      const payload = JSON.parse(options.body);
      callback = callbackOf(payload);
      drawsCharts = writesFigures(payload);
    } catch (error) {
      return send(resource, options);
    }
    const number = ++requestsSent;
    latestRequest.set(callback, number);
    const charts = drawsCharts ? chartsAwaited() : null;
    const answered = send(resource, options).then(function (response) {
      tellOutage(response);
      return latestRequest.get(callback) === number ? response : new Response(null, { status: 204 });
    }, function (error) {
      showOutage(NO_ANSWER);
      throw error;
    });
    if (charts) {
      answered.then(charts.answered, charts.drawn);
      return answered;
    }
    return answered.then(afterChartsInFlight);
  };

  /* ---- The charts' answer drawn before the others ------------------------------------- */

  // A filter change asks for the page's charts and, beside them, for the filters' summary,
  // the locality list and the address. The summary's answer is quicker to make and came
  // first: Dash wrote it, and ran the callbacks it sets off (the address, the links), while the
  // charts' answer waited: the chart in view showed 25-58 ms later for it (benchmarks/README.md,
  // 8 Dec). An answer that draws no chart, arriving while charts are asked for, now reaches
  // Dash once those charts are drawn (their answer's figures, counted as Plotly draws them) or
  // their request failed. Charts are waited for CHARTS_AWAITED_MS after their request at most
  // (a slow or hung request, draws that do not all come), and an answer waits no longer than
  // that either; none waits before plotly.js has arrived (a page's first load), when there is
  // nothing to draw first.
  const CHARTS_AWAITED_MS = 1000;
  const chartsInFlight = new Set();
  let drawsFinished = 0;
  const drawWaiters = [];

  function writesFigures(payload) {
    return outputsOf(payload).some(function (output) {
      return [].concat(output).some(function (one) { return one && one.property === "figure"; });
    });
  }

  // The figures in an answer: a card's figure slot, or a graph inside a card placed anew.
  function figuresIn(part) {
    if (!part || typeof part !== "object") return 0;
    let figures = 0;
    Object.keys(part).forEach(function (key) {
      if (key !== "figure") figures += figuresIn(part[key]);
      else if (part[key] && typeof part[key] === "object") figures += 1;
    });
    return figures;
  }

  function drawFinished() {
    drawsFinished += 1;
    for (let index = drawWaiters.length - 1; index >= 0; index--) {
      if (drawsFinished >= drawWaiters[index].until) drawWaiters.splice(index, 1)[0].resolve();
    }
  }

  function chartsAwaited() {
    let resolve;
    const drawn = new Promise(function (done) { resolve = done; });
    chartsInFlight.add(drawn);
    drawn.then(function () { chartsInFlight.delete(drawn); });
    window.setTimeout(resolve, CHARTS_AWAITED_MS);
    return {
      drawn: function () { resolve(); },
      answered: function (response) {
        if (response.status !== 200) return resolve();
        const until = drawsFinished;
        let copy;
        try {
          copy = response.clone();
        } catch (error) {
          return resolve();
        }
        copy.json().then(function (answer) {
          const figures = figuresIn(answer && answer.response);
          if (!figures || drawsFinished >= until + figures) return resolve();
          drawWaiters.push({ until: until + figures, resolve: resolve });
          drawn.then(function () {
            const left = drawWaiters.findIndex(function (waiter) { return waiter.resolve === resolve; });
            if (left !== -1) drawWaiters.splice(left, 1);
          });
        }, resolve);
      },
    };
  }

  function afterChartsInFlight(response) {
    if (!chartsInFlight.size || !window.Plotly) return response;
    const waited = Promise.all(Array.from(chartsInFlight));
    const most = new Promise(function (done) { window.setTimeout(done, CHARTS_AWAITED_MS); });
    return Promise.race([waited, most]).then(function () { return response; });
  }

  /* ---- A chart redrawn only where its figure changed ---------------------------------- */

  // Plotly.react computes and draws a chart afresh when an array of its figure (values, names
  // on an axis) is a new object, or its layout's template or meta is, even one equal to what it
  // drew: it compares them by identity. Every figure it gets from Dash is new (a response's
  // JSON; dcc.Graph copies the layout besides), so every redraw was a full one. Each part equal
  // to the one drawn at the same place is given as that one, and Plotly redraws what changed:
  // a heat map whose cells stay and whose outlines move redraws its outlines alone (a changed
  // array still has it compute all again). The figure's own objects are kept (this file
  // checks a slide's layout by identity).
  function shareDrawn(next, drawn) {
    if (next === drawn) return true;
    if (!next || !drawn || typeof next !== "object" || typeof drawn !== "object" ||
        Array.isArray(next) !== Array.isArray(drawn)) return false;
    const keys = Object.keys(next);
    let same = Array.isArray(next) ? next.length === drawn.length :
      keys.length === Object.keys(drawn).length;
    keys.forEach(function (key) {
      const part = next[key];
      if (!part || typeof part !== "object" || !(key in drawn)) {
        same = same && part === drawn[key];
      } else if (shareDrawn(part, drawn[key])) {
        next[key] = drawn[key];
      } else {
        same = false;
      }
    });
    return same;
  }

  // Plotly's Python side sends a numeric column as a typed-array spec ({dtype, bdata}: base64),
  // and plotly.js decodes it into a new typed array on every redraw, which its comparison reads
  // as changed: a chart whose values stayed was still computed and drawn afresh (43-90 ms a
  // chart of /investment, /reach and /short-breaks given its own figure again, 7-23 ms given
  // plain numbers). A one-dimensional spec is given as the plain numbers it holds, which
  // shareDrawn can then match to the ones drawn.
  const TYPED_ARRAYS = {
    i1: Int8Array, u1: Uint8Array, u1c: Uint8ClampedArray, i2: Int16Array, u2: Uint16Array,
    i4: Int32Array, u4: Uint32Array, f4: Float32Array, f8: Float64Array,
  };

  function isOneDimensionalSpec(part) {
    return typeof part.bdata === "string" && TYPED_ARRAYS.hasOwnProperty(part.dtype) &&
      (part.shape === undefined || String(part.shape).indexOf(",") === -1);
  }

  function decodedSpec(spec) {
    const text = window.atob(spec.bdata);
    const bytes = new Uint8Array(text.length);
    for (let index = 0; index < text.length; index++) bytes[index] = text.charCodeAt(index);
    return Array.from(new TYPED_ARRAYS[spec.dtype](bytes.buffer));
  }

  function plainNumbers(container) {
    Object.keys(container).forEach(function (key) {
      const part = container[key];
      if (!part || typeof part !== "object") return;
      if (isOneDimensionalSpec(part)) container[key] = decodedSpec(part);
      else plainNumbers(part);
    });
  }

  function shareBeforeReact(plotly) {
    if (!plotly || !plotly.react || plotly.react.sharesDrawn) return;
    const react = plotly.react;
    const sharing = function (graph, data, layout) {
      const drawn = typeof graph === "string" ? document.getElementById(graph) : graph;
      // dcc.Graph passes the figure as one object; this file passes data and layout.
      const figure = data && !Array.isArray(data) ? data : { data: data, layout: layout };
      if (figure.data) plainNumbers(figure.data);
      if (drawn && drawn.data && drawn.layout && figure.data && figure.layout) {
        const template = figure.layout.template;
        shareDrawn(figure.data, drawn.data);
        const same = shareDrawn(figure.layout.annotations, drawn.layout.annotations);
        shareDrawn(figure.layout, drawn.layout);
        // An annotation Plotly redraws alone is put after the others, so a chart's texts would
        // be read in another order than on a fresh page: a figure whose annotations changed
        // keeps its own template, and Plotly draws it afresh, every text in its place. (A shape
        // redrawn alone is put last too: where two cross, as the heat map's column and rows
        // do, the one last moved is on top.)
        if (!same && template) figure.layout.template = template;
      }
      return react.apply(this, arguments);
    };
    const inViewFirst = drawInViewFirst(sharing);
    inViewFirst.sharesDrawn = true;
    plotly.react = inViewFirst;
  }

  /* ---- The chart in view drawn first -------------------------------------------------- */

  // A filter change gives every chart of the page its new figure at once, and Plotly drew them
  // one after another in one task: the browser showed none of them until the last was drawn,
  // 3 to 5 charts at 12-54 ms each on a 2-core machine. Yet at 1280x720 and 1440x900 only the
  // page's first chart is in view. A chart in view is drawn at once, and the others together
  // once the browser has shown it (after the next frame): the room sees the chart it is
  // looking at 60-160 ms sooner, and the last chart is drawn up to 35 ms later, one frame
  // (benchmarks/README.md; one task for each chart cost more). A chart's draws keep their
  // order: one waits for the one queued before it.
  const queuedDraws = new WeakMap();
  function drawInViewFirst(draw) {
    return function (graph) {
      const self = this;
      const args = arguments;
      const element = typeof graph === "string" ? document.getElementById(graph) : graph;
      const before = element ? queuedDraws.get(element) : null;
      if (!element || (!before && inView(element))) return timedDraw(draw, self, args, true);
      // Not one the page has let go of since (another page opened, the chart replaced).
      const drawNow = function () {
        return element.isConnected ? timedDraw(draw, self, args, false) : element;
      };
      const drawn = (before || afterNextFrame()).then(drawNow, drawNow);
      queuedDraws.set(element, drawn);
      const forget = function () {
        if (queuedDraws.get(element) === drawn) queuedDraws.delete(element);
      };
      drawn.then(forget, forget);
      return drawn;
    };
  }

  // Calls ``then`` once the draw queued for ``graph`` is made, and says whether one was: code
  // that reads a chart's figure to redraw it (a slide fitted, or put back) must read the one
  // Dash gave it last, not the one it shows until its turn comes.
  function afterQueuedDraw(graph, then) {
    const queued = queuedDraws.get(graph);
    if (queued) queued.then(then, then);
    return Boolean(queued);
  }

  function inView(element) {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.bottom > 0 && box.top < window.innerHeight;
  }

  let nextFrame = null;
  function afterNextFrame() {
    if (!nextFrame) {
      nextFrame = new Promise(function (resolve) {
        window.requestAnimationFrame(function () {
          window.setTimeout(function () { nextFrame = null; resolve(); }, 0);
        });
      });
    }
    return nextFrame;
  }

  // Each draw is a User Timing measure, "chart drawn": the browser's performance panel shows
  // which chart a change spent its time on, and the benchmark adds them up. The browser keeps
  // every measure for the page's life, so a meeting's worth is let go now and then.
  const DRAWS_KEPT = 1000;
  let drawsMeasured = 0;
  function timedDraw(draw, self, args, shown) {
    const start = performance.now();
    try {
      return draw.apply(self, args);
    } finally {
      drawFinished();
      if (++drawsMeasured > DRAWS_KEPT) {
        performance.clearMeasures("chart drawn");
        drawsMeasured = 1;
      }
      performance.measure("chart drawn", { start: start, detail: { inView: shown } });
    }
  }

  // plotly.js arrives after this file (dcc loads it when a page first shows a chart).
  if (window.Plotly) shareBeforeReact(window.Plotly);
  else {
    let loaded;
    Object.defineProperty(window, "Plotly", {
      configurable: true,
      enumerable: true,
      get: function () { return loaded; },
      set: function (value) { loaded = value; shareBeforeReact(value); },
    });
  }

  /* ---- An outage told on an open page ------------------------------------------------- */

  // Dash shows nothing when a callback is answered 503 (the database unreachable) or not at
  // all: the charts stayed as they were under filters that no longer matched them. The page's
  // fault area says so until a callback is answered again.
  const NO_ANSWER = "The dashboard did not answer: the charts shown may be for the filters " +
    "chosen before. Check the connection and try again in a minute.";
  const STILL_SHOWN = " The charts shown may be for the filters chosen before.";
  let outageShown = false;

  function faultArea() {
    const area = document.querySelector(".page-fault");
    return area && area.id && window.dash_clientside && window.dash_clientside.set_props
      ? area.id : null;
  }

  function showOutage(message) {
    const area = faultArea();
    if (!area) return;
    outageShown = true;
    window.dash_clientside.set_props(area, { children: {
      namespace: "dash_html_components", type: "P",
      props: { children: message, className: "alert alert-warning mb-2 page-outage" },
    } });
  }

  function tellOutage(response) {
    if (response.status === 503) {
      response.clone().json().then(function (body) {
        showOutage(((body && body.message) || NO_ANSWER) + STILL_SHOWN);
      }, function () { showOutage(NO_ANSWER); });
    } else if (response.ok && outageShown) {
      const area = faultArea();
      outageShown = false;
      if (area) window.dash_clientside.set_props(area, { children: null });
    }
  }

  /* ---- Tables and notes fetched when opened ------------------------------------------- */

  // Dash's Details never reports its own ``open``; the opening or closing (by mouse or
  // keyboard) of a disclosure whose content is fetched (a chart's table, its "About", a
  // folded section's charts) is told to Dash here, and its callback fetches the content.
  // "toggle" does not bubble, so it is caught on the way down.
  const FETCHED_DISCLOSURE = "details.fetched-disclosure";

  document.addEventListener("toggle", function (event) {
    const details = event.target;
    const clientside = window.dash_clientside;
    if (!details.matches || !details.matches(FETCHED_DISCLOSURE) || !details.id) return;
    if (!clientside || !clientside.set_props) return;
    // A card's disclosure has a pattern id (JSON), a folded section a plain one.
    const id = details.id.charAt(0) === "{" ? JSON.parse(details.id) : details.id;
    clientside.set_props(id, { open: details.open });
  }, true);

  /* ---- Presentation mode ------------------------------------------------------------- */

  // ``unfolded``: the folded sections presenting opened, folded again when it ends.
  const presentation = { on: false, index: 0, style: null, unfolded: [] };

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll(SLIDES));
  }

  // The slides: every card but those that only say in a sentence why they have no chart (a
  // meeting clicked through three such slides on /short-breaks for a locality, each saying its
  // figures are Kent's alone); the position line says how many were left out, and the page
  // still shows them. All cards if none has a chart.
  function slides() {
    const all = cards();
    const charted = all.filter(function (card) { return !card.querySelector(".chart-unavailable"); });
    return charted.length ? charted : all;
  }

  // A copy of a figure part with every explicit text size raised to at least ``minimum``.
  function raiseFonts(part, minimum) {
    if (Array.isArray(part)) return part.map(function (item) { return raiseFonts(item, minimum); });
    if (!part || typeof part !== "object" || ArrayBuffer.isView(part)) return part;
    const copy = {};
    Object.keys(part).forEach(function (key) {
      const value = part[key];
      if (key === "template") copy[key] = value;
      else if (/font$/.test(key) && value && typeof value === "object") {
        copy[key] = Object.assign({}, value);
        if (typeof value.size === "number") copy[key].size = Math.max(value.size, minimum);
        else if (Array.isArray(value.size)) {
          copy[key].size = value.size.map(function (s) { return Math.max(s, minimum); });
        }
      } else if (value && typeof value === "object") copy[key] = raiseFonts(value, minimum);
      else copy[key] = value;
    });
    return copy;
  }

  function fitToScreen(graph) {
    const fitLater = function () {
      if (presentation.on && graph.closest(".present-current")) fitToScreen(graph);
    };
    if (afterQueuedDraw(graph, fitLater)) return;
    const plotly = window.Plotly;
    const style = presentation.style;
    if (!plotly || !style || !graph.layout || !graph._fullLayout || graph._kcFitted === graph.layout) return;
    // Not fitted yet, or redrawn by Dash since (a filter change writes a changed figure in place):
    // the figure shown now is the one to fit, and to put back on leaving.
    // ``drawnHeight``: the height the page drew it at (its layout's, which Dash does not pass on).
    const original = { data: graph.data, layout: graph.layout, drawnHeight: graph._fullLayout.height,
      drawnPlotHeight: graph._fullLayout._size.h };
    graph._kcOriginal = original;
    const card = graph.closest(".chart-card");
    const below = card ? card.getBoundingClientRect().bottom - graph.getBoundingClientRect().bottom : 0;
    const room = Math.floor(window.innerHeight - graph.getBoundingClientRect().top - below - 12);
    const layout = raiseFonts(original.layout, style.min_font_size);
    layout.template = style.template;
    const band = dropDemoBand(layout, style);
    const ownMargin = layout.meta && layout.meta[style.slide_margin_key];
    if (ownMargin) layout.margin = Object.assign({}, layout.margin, ownMargin);
    pinLegend(layout);
    placeLabelsForSlide(layout, style.slide_labels_key);
    // The screen's height, or at least a share of the page's less the band
    // (``min_height_share``, or the figure's own, and for some its plot area's too: below): a
    // taller screen gives the chart more; on a screen too short for that share the slide scrolls.
    const share = (layout.meta && layout.meta[style.min_height_share_key]) || style.min_height_share;
    layout.height = Math.max(Math.floor((original.drawnHeight - band) * share), room);
    // Every row keeps its name: with the larger type, Plotly named every second district of a
    // ranking whose rows still had room for each name. Tick labels are given room by Plotly on
    // a slide: the page's margins hold them in the page's type only (``rows_margin``,
    // ``value_axis``), except a figure's with margins of its own for a slide.
    Object.keys(graph._fullLayout).forEach(function (name) {
      if (!/^[xy]axis\d*$/.test(name)) return;
      const rows = graph._fullLayout[name].type === "category" && name.charAt(0) === "y";
      const slide = Object.assign(rows ? { dtick: 1 } : {}, ownMargin ? {} : { automargin: true });
      layout[name] = Object.assign({}, layout[name], slide);
    });
    delete layout.width;
    const data = original.data.map(function (trace) {
      return raiseFonts(trace, trace.type === "scattergeo" ? style.map_label_size : style.min_font_size);
    });
    graph._kcFitted = layout; // Plotly.react keeps this very object as graph.layout
    plotly.react(graph, data, layout).then(function () {
      // Only Plotly knows the plot's height once the slide's type has set the margins.
      whenMarginsSettle(graph, function () {
        const plotShare = layout.meta && layout.meta[style.min_plot_share_key];
        const plotShort = plotShare ?
          Math.ceil(original.drawnPlotHeight * plotShare - graph._fullLayout._size.h) : 0;
        // Labels placed by the server for a slide's plot keep the shortest plot they fit.
        const placed = layout.meta && layout.meta[style.slide_labels_key];
        const labelsShort = placed ?
          Math.ceil(placed.min_plot_height - graph._fullLayout._size.h) : 0;
        const short = Math.max(rowsShortfall(graph), plotShort, labelsShort);
        // Not if the presenter has moved on: a hidden chart would be drawn without a width.
        if (short > 0 && graph._kcFitted === layout && graph.closest(".present-current")) {
          const taller = Object.assign({}, layout, { height: graph._fullLayout.height + short });
          graph._kcFitted = taller;
          plotly.react(graph, data, taller);
        }
      });
    });
  }

  // Calls ``then`` once the chart's plot area has kept its size for ``SETTLED_MS`` (or after
  // ``SETTLE_LIMIT_MS``): Plotly sets the margins again when dcc.Graph resizes the chart to its
  // new height, after its own resize timer.
  const SETTLED_MS = 250;
  const SETTLE_LIMIT_MS = 2000;
  function whenMarginsSettle(graph, then) {
    const start = performance.now();
    let last = null;
    let since = start;
    (function check(now) {
      const size = graph._fullLayout ? JSON.stringify(graph._fullLayout._size) : null;
      if (size !== last) {
        last = size;
        since = now;
      }
      if (now - since >= SETTLED_MS || now - start >= SETTLE_LIMIT_MS) then();
      else window.requestAnimationFrame(check);
    })(performance.now());
  }

  // The pixels a fitted chart lacks for each row of its category axes (a ranking's districts,
  // a heat map's rows) to keep ``row_spacing`` times its tick labels' size: squeezed further,
  // the names of neighbouring rows touch. An axis that writes no names (Plotly then sets no
  // tick font: the crisis referrals' panels) needs none.
  function rowsShortfall(graph) {
    const full = graph._fullLayout;
    let short = 0;
    Object.keys(full).forEach(function (name) {
      const axis = full[name];
      if (!/^yaxis\d*$/.test(name) || axis.type !== "category" || !axis.range) return;
      if (!axis.showticklabels || !axis.tickfont) return;
      const share = axis.domain[1] - axis.domain[0];
      const rows = Math.abs(axis.range[1] - axis.range[0]);
      const needed = rows * axis.tickfont.size * presentation.style.row_spacing;
      const shown = share * full._size.h;
      if (share > 0 && needed > shown) short = Math.max(short, Math.ceil((needed - shown) / share));
    });
    return short;
  }

  // The demo mark's band above the chart (its mark, or room kept for one) is left out, as it is
  // from an exported image: the slide shows the mark beside the chart's title, and the band's
  // height went from the plot, whose ranking rows then grew the chart under the screen's edge.
  // (``layout`` is the slide's copy of the figure's.) The pixels left out.
  function dropDemoBand(layout, style) {
    if (!layout.meta || !layout.meta[style.demo_band_key]) return 0;
    delete layout.title;
    layout.margin = Object.assign({}, layout.margin, { t: layout.margin.t - style.demo_band });
    return style.demo_band;
  }

  // A legend under the plot, placed a fraction of the plot's height below it, lands on the
  // tick labels once the slide's larger type and different height are applied; one over the
  // plot landed on its first rows once Plotly laid out the resized chart's margins afresh (the
  // hours of caring chart). Pinned to the bottom or the top of the chart instead, it has its own
  // room: Plotly keeps the plot, its tick labels and its axis title clear of it (a legend
  // placed on the container reserves its margin). The top is the demo mark's where a chart has
  // one (its title): a legend there stays where it was.
  function pinLegend(layout) {
    const legend = layout.legend;
    if (!legend || legend.orientation !== "h") return;
    const titled = layout.title && layout.title.text;
    if (legend.y < 0) {
      layout.legend = Object.assign({}, legend, { yref: "container", y: 0, yanchor: "bottom" });
    } else if (legend.y > 1 && !titled) {
      layout.legend = Object.assign({}, legend, { yref: "container", y: 1, yanchor: "top" });
    }
  }

  // Labels placed beside their points for the page's type and size (the funnel's districts)
  // ran into one another in a slide's larger type, on a plot of another shape: the figure
  // carries their places on a slide too, and their leaders', worked out by the server.
  // (``layout`` is the slide's copy of the figure's.)
  function placeLabelsForSlide(layout, key) {
    const placed = layout.meta && layout.meta[key];
    if (!placed || !layout.annotations) return;
    placed.offsets.forEach(function (offset, i) {
      const label = layout.annotations[placed.first + i];
      if (label) Object.assign(label, { xshift: offset[0], yshift: offset[1] });
      const leader = layout.shapes && layout.shapes[placed.first_leader + i];
      const ends = placed.leaders[i];
      if (!leader) return;
      leader.visible = Boolean(ends);
      if (ends) Object.assign(leader, { x0: ends[0], y0: ends[1], x1: ends[2], y1: ends[3] });
    });
  }

  function restore(graph) {
    if (!graph._kcOriginal || !window.Plotly) return;
    if (afterQueuedDraw(graph, function () { restore(graph); })) return;
    const original = graph._kcOriginal;
    const fitted = graph._kcFitted === graph.layout;
    delete graph._kcOriginal;
    delete graph._kcFitted;
    // A chart Dash has redrawn since it was fitted already shows its new figure, unfitted.
    // The page's height is given again: Plotly's first resize of a new chart took it out of
    // the layout, which then took the slide's height from the chart's box.
    if (fitted) {
      const layout = Object.assign({}, original.layout, { height: original.drawnHeight });
      window.Plotly.react(graph, original.data, layout);
    }
  }

  // At the first or the last slide, the button that would go further says it cannot
  // (``aria-disabled``: ``disabled`` would drop the presenter's focus to the page).
  function markEnds(count) {
    const ends = { ".present-previous": presentation.index <= 0,
      ".present-next": presentation.index >= count - 1 };
    Object.keys(ends).forEach(function (selector) {
      const button = document.querySelector(selector);
      if (button) button.setAttribute("aria-disabled", String(ends[selector]));
    });
  }

  function showSlide(index) {
    const all = slides();
    const position = document.querySelector(".present-position");
    if (!all.length) {
      if (position) position.textContent = "No charts on this page";
      markEnds(0);
      return;
    }
    presentation.index = Math.max(0, Math.min(index, all.length - 1));
    markEnds(all.length);
    const current = all[presentation.index];
    cards().forEach(function (card) { card.classList.toggle("present-current", card === current); });
    showPosition(all.length);
    // A chart in a folded section ("More detail") is unfolded to be shown.
    const fold = current.parentElement.closest("details");
    if (fold) fold.open = true;
    window.scrollTo(0, 0);
    const graph = current.querySelector(".js-plotly-plot");
    if (graph) window.requestAnimationFrame(function () { fitToScreen(graph); });
  }

  function showPosition(count) {
    const position = document.querySelector(".present-position");
    const heading = document.querySelector("main h1");
    if (position && count) {
      const leftOut = cards().length - count;
      position.textContent = (heading ? heading.textContent + ": " : "") +
        "Chart " + (presentation.index + 1) + " of " + count +
        (leftOut ? " (" + leftOut + " without a chart skipped)" : "");
    }
  }

  function step(by) {
    if (presentation.on) showSlide(presentation.index + by);
  }

  function enter() {
    presentation.on = true;
    unfold();
    showSlide(presentation.index);
  }

  // Every chart is a slide: folded sections are opened, which draws their charts; their
  // slides follow the others as they arrive. Presenting from a link starts before the page is
  // there, so sections are also opened as they arrive (see the observer below).
  function unfold() {
    const folded = Array.prototype.filter.call(
      document.querySelectorAll("main details.more-detail"), function (fold) {
        return !fold.open && presentation.unfolded.indexOf(fold) < 0;
      });
    folded.forEach(function (fold) { fold.open = true; });
    presentation.unfolded = presentation.unfolded.concat(folded);
  }

  function leave() {
    presentation.on = false;
    cards().forEach(function (card) { card.classList.remove("present-current"); });
    document.querySelectorAll(".js-plotly-plot").forEach(restore);
    presentation.unfolded.forEach(function (fold) { fold.open = false; });
    presentation.unfolded = [];
  }

  // Charts arrive after the page: keep the current slide shown and fitted as they do.
  let pending = null;
  const observer = new MutationObserver(function () {
    if (!presentation.on || pending) return;
    pending = window.setTimeout(function () {
      pending = null;
      if (!presentation.on) return;  // left meanwhile: no slide to show again
      unfold();
      const all = slides();
      const current = all[presentation.index];
      if (!current || !current.classList.contains("present-current")) showSlide(presentation.index);
      else {
        // Cards answered by a later callback add slides after the current one.
        showPosition(all.length);
        markEnds(all.length);
        const graph = current.querySelector(".js-plotly-plot");
        if (graph) fitToScreen(graph);
      }
    }, 150);
  });

  document.addEventListener("DOMContentLoaded", function () {
    observer.observe(document.body, { childList: true, subtree: true });
  });

  document.addEventListener("click", function (event) {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.classList.contains("present-next")) step(1);
    else if (button.classList.contains("present-previous")) step(-1);
    else if (button.classList.contains("chart-alt-copy")) copyAltText(button);
  });

  /* ---- Copying a chart's alt text ----------------------------------------------------- */

  // The text beside the button, through the Clipboard API where the page may use it (https or
  // this machine), else by selecting it and the browser's copy command (a plain-http address).
  function copyAltText(button) {
    const holder = button.parentElement;
    const text = holder.querySelector(".chart-alt-text");
    const told = holder.querySelector(".chart-alt-copied");
    if (!text) return;
    function say(words) { if (told) told.textContent = words; }
    function bySelection() {
      const range = document.createRange();
      range.selectNodeContents(text);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      const copied = document.execCommand && document.execCommand("copy");
      say(copied ? "Copied." : "Selected: press Ctrl+C (⌘C) to copy.");
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text.textContent).then(function () { say("Copied."); }, bySelection);
    } else {
      bySelection();
    }
  }

  document.addEventListener("keydown", function (event) {
    if (!presentation.on || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target && target.closest && target.closest("input, select, textarea")) return;
    if (event.key === "ArrowRight" || event.key === "PageDown") step(1);
    else if (event.key === "ArrowLeft" || event.key === "PageUp") step(-1);
    else if (event.key === "Home") showSlide(0);
    else if (event.key === "End") showSlide(slides().length - 1);
    else if (event.key === "Escape") {
      const exit = document.querySelector(".present-exit");
      if (exit) exit.click();
      return;
    } else return;
    event.preventDefault();
  });

  /* ---- Printing: each chart scaled down whole, as drawn, to the paper and a page ---------- */

  const PRINT_MAX_HEIGHT = 540;
  // The paper's height within the margins of ``@page`` in style.css (A4 landscape: 210 mm less
  // 2 × 10 mm), in CSS pixels; and the smallest a chart is scaled to so that its card fits a
  // page (or shares the first with the page's heading), rather than running on.
  const PAPER_HEIGHT_PX = (190 * 96) / 25.4;
  const PRINT_MIN_HEIGHT = 300;

  const printMedia = window.matchMedia("print");

  function fitForPrint(printing) {
    // Folded sections are printed open: paper cannot unfold them. Charts not yet drawn cannot
    // arrive before the page is printed; the section's placeholder then says so on paper.
    if (printing) document.querySelectorAll("main details.more-detail").forEach(function (fold) { fold.open = true; });
    // Charts are measured in the layout for paper only. "beforeprint" comes before it: fitted
    // then, each chart kept its width on screen and was cut at the paper's right edge. The
    // print media's change follows it, in the paper's layout, and fits them.
    if (printing && !printMedia.matches) return;
    document.querySelectorAll(".js-plotly-plot").forEach(function (graph) {
      if (!graph._fullLayout || !graph.offsetParent) return;
      if (printing && !graph._kcPrinted) {
        const box = graph.closest(".card-body") || graph.parentElement;
        const style = window.getComputedStyle(box);
        const width = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        graph._kcPrinted = true;
        // Scaled as drawn, never redrawn: the paper is taken as the page is laid out for it,
        // and a chart Plotly was redrawing then (to the paper's width) was missing from it, as
        // a sankey's ribbons were while they faded in.
        const zoom = Math.min(1, PRINT_MAX_HEIGHT / graph._fullLayout.height,
          width / graph._fullLayout.width);
        graph.style.zoom = zoom < 1 ? String(zoom) : "";
      } else if (!printing && graph._kcPrinted) {
        delete graph._kcPrinted;
        graph.style.zoom = "";
      }
    });
    if (printing) {
      fitCardsToPaper();
      fitFirstCardToFirstPage();
    }
  }

  function fitCardsToPaper() {
    // A card taller than the paper was split across two pages, its source line on the second
    // with no chart (the funding trend with its list of events, the hours of caring): its chart
    // is scaled down until the whole card fits a page, but not below PRINT_MIN_HEIGHT, where
    // the card is left to run on.
    document.querySelectorAll("main .chart-card").forEach(function (card) {
      shrinkChartBy(card, card.getBoundingClientRect().height
        + parseFloat(window.getComputedStyle(card).marginBottom) - PAPER_HEIGHT_PX);
    });
  }

  function shrinkChartBy(card, overflow) {
    // The card's chart scaled down by ``overflow`` pixels, if that leaves it PRINT_MIN_HEIGHT.
    const graph = card && card.querySelector(".js-plotly-plot");
    if (!graph || !graph._kcPrinted || overflow <= 0) return;
    const height = graph.getBoundingClientRect().height;
    const wanted = height - overflow - 4;  // pixels rounded in the paper's layout
    if (wanted < PRINT_MIN_HEIGHT) return;
    graph.style.zoom = String((parseFloat(graph.style.zoom) || 1) * (wanted / height));
  }

  function fitFirstCardToFirstPage() {
    // A card is kept whole on a page, so a first card taller than the room under the page's
    // heading went to the second page and left the first with the heading alone.
    const card = document.querySelector("main .chart-card");
    if (!card) return;
    // Measured from the end of what comes before the card: on paper the card's own top is
    // where it was moved to (the second page), not where it would start.
    // The card's bottom margin counts: a card whose margin would pass the paper's edge is
    // moved as well.
    shrinkChartBy(card, bottomOfWhatPrecedes(card) + card.getBoundingClientRect().height
      + parseFloat(window.getComputedStyle(card).marginBottom)
      - document.body.getBoundingClientRect().top - PAPER_HEIGHT_PX);
  }

  function bottomOfWhatPrecedes(element) {
    // The lowest bottom of the nearest shown element before ``element`` or before any of its
    // containers.
    let bottom = document.body.getBoundingClientRect().top;
    for (let node = element; node && node !== document.body; node = node.parentElement) {
      for (let before = node.previousElementSibling; before; before = before.previousElementSibling) {
        const box = before.getBoundingClientRect();
        if (box.height > 0) {
          bottom = Math.max(bottom, box.bottom);
          break;
        }
      }
    }
    return bottom;
  }

  printMedia.addEventListener("change", function (event) { fitForPrint(event.matches); });
  window.addEventListener("beforeprint", function () { fitForPrint(true); });
  window.addEventListener("afterprint", function () { fitForPrint(false); });

  /* ---- Clientside callbacks ----------------------------------------------------------- */

  function context() {
    return window.dash_clientside.callback_context;
  }

  function hidden(element) {
    return element.checkVisibility ? !element.checkVisibility() : element.offsetParent === null;
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    kentCarers: {
      // Output: the address now shown, for the links written into exports (the location
      // component keeps the address the page was opened at).
      writeFilters: function (filterQuery) {
        if (!filterQuery) return window.dash_clientside.no_update;
        filterParameters = filterQuery.parameters;
        const chosen = new URLSearchParams(filterQuery.search);
        const values = {};
        filterParameters.forEach(function (name) { values[name] = chosen.get(name); });
        setParameters(values);
        return { href: window.location.href };
      },

      // Inputs: the scheme, locality, care group and period selects; then the filters shown
      // and how the selects are read (filters.select_meaning). Outputs: the filters, the
      // locality select and the link notice. A locality not of the scheme (the old scheme's
      // menu, just after a change of scheme) is no locality, and its select is reset. Selects
      // that show the filters already stored (as read_link leaves them) change nothing.
      filtersFromSelects: function (scheme, locality, careGroup, period, shown, meaning) {
        const unchanged = window.dash_clientside.no_update;
        function chosen(value) {
          return value === null || value === undefined || meaning.unset.includes(value) ? null : value;
        }
        const chosenScheme = scheme || meaning.scheme;
        const places = meaning.localities[chosenScheme] || [];
        const place = places.includes(chosen(locality)) ? chosen(locality) : null;
        const values = [chosenScheme, place, chosen(careGroup), chosen(period)];
        const state = {};
        meaning.parameters.forEach(function (name, i) { state[name] = values[i]; });
        const resetLocality = place === null && locality !== meaning.all;
        if (shown && meaning.parameters.every(function (name) { return shown[name] === state[name]; })) {
          return [unchanged, resetLocality ? meaning.all : unchanged, unchanged];
        }
        return [state, resetLocality ? meaning.all : unchanged, []];
      },

      // Inputs: the filters and whether a folded section ("More detail") is open; then what it
      // was last asked to show. Output: what it is to show, written only when that changes, so
      // the server is asked nothing while it is folded: open, its charts follow the filters;
      // folded, they stay as they are until a new selection, which removes them once.
      foldRequest: function (filters, isOpen, last) {
        if (isOpen) return { filters: filters, open: true };
        const folding = context().triggered.some(function (t) { return /\.open$/.test(t.prop_id); });
        if (folding || !last || !last.open) return window.dash_clientside.no_update;
        return { filters: filters, open: false };
      },

      linkHrefs: function (filterQuery, linkIds) {
        const search = filterQuery ? filterQuery.search : "";
        return linkIds.map(function (link) { return link.path + search; });
      },

      // Inputs: each page control's value; the last argument maps control ids to
      // [parameter, default, property]. A default is left out of the address, so links stay
      // short. A disclosure's ``open`` is written "open" or "closed".
      writeViewControls: function () {
        const args = Array.prototype.slice.call(arguments);
        const spec = args.pop();
        const values = {};
        context().inputs_list.forEach(function (input, i) {
          const entry = spec[input.id];
          if (!entry) return;
          const value = entry[2] === "open" ? (args[i] ? "open" : "closed") : args[i];
          values[entry[0]] = value === entry[1] ? null : value;
        });
        setParameters(values);
        shownPath = window.location.pathname;
        shownView = viewPart(window.location.search);
        return { href: window.location.href };
      },

      // The planner's weights and uplift shape the weighted mix only: greyed out under any
      // other formula, where changing them looked live and changed nothing.
      mixSettingsDisabled: function (formula) {
        return formula !== "mix";
      },

      presentFromAddress: function (search) {
        locationId = context().inputs_list[0].id;
        return new URLSearchParams(search || "").get(PRESENT_PARAMETER) === "1";
      },

      togglePresent: function (toggleClicks, exitClicks, present) {
        const exitButton = context().inputs_list[1].id;
        const exit = context().triggered.some(function (t) {
          return t.prop_id === exitButton + ".n_clicks";
        });
        return exit ? false : !present;
      },

      applyPresent: function (present, style) {
        presentation.style = style;
        setParameters({ [PRESENT_PARAMETER]: present ? "1" : null });
        const switched = present !== presentation.on;
        if (present && !presentation.on) enter();
        else if (!present && presentation.on) leave();
        const shellClass = present ? "app-shell present-mode" : "app-shell";
        const pressed = present ? "true" : "false";
        // Switching hides the controls that had the keyboard focus (the header's or the
        // presentation bar's): the focus goes to "Next chart" on entering and to "Present" on
        // leaving, not to the page. Dash writes the class and the pressed state only after this
        // returns, so they are set here first: a control still hidden cannot take the focus, and
        // "Present" must not be announced as still pressed.
        if (switched) {
          const shell = document.getElementById(context().outputs_list[0].id);
          const toggle = document.getElementById(context().outputs_list[1].id);
          if (shell) shell.className = shellClass;
          if (toggle) toggle.setAttribute("aria-pressed", pressed);
          const active = document.activeElement;
          const focus = document.querySelector(present ? ".present-next" : ".present-toggle");
          if (focus && (!active || active === document.body || hidden(active))) focus.focus();
        }
        return [shellClass, pressed];
      },
    },
  });
})();
