// Runs inside report.html: draws every chart spec of the embedded data with uPlot (inlined
// before this script). Plain browser JavaScript, no imports: the report must open from disk with
// no network. The tables are static HTML; only the charts need this.
(function drawReportCharts() {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const palette = data.palette;
  const charts = [];

  // The page's colour scheme (light, dark, or paper's light) as its stylesheet's variables say:
  // canvases do not follow CSS, so every chart is drawn again when the scheme changes.
  let theme = readTheme();
  function readTheme() {
    const css = window.getComputedStyle(document.documentElement);
    const v = (name) => css.getPropertyValue(name).trim();
    return {
      fg: v("--fg"),
      muted: v("--muted"),
      line: v("--line"),
      frame: v("--frame"),
      warmupShade: v("--warmup-shade"),
      warmupText: v("--warmup-text"),
      faultShade: v("--fault-shade"),
      faultText: v("--fault-text"),
      heatFew: Number(v("--heat-lightness-few")),
      heatMost: Number(v("--heat-lightness-most")),
    };
  }

  // uPlot wants one shared x array: the union of every series' x, with null where a series has none.
  function align(spec) {
    const xs = [...new Set(spec.series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
    const index = new Map(xs.map((x, i) => [x, i]));
    const ys = spec.series.map((s) => {
      const column = new Array(xs.length).fill(null);
      for (const [x, y] of s.points) column[index.get(x)] = spec.yScale === "log" && !(y > 0) ? null : y;
      return column;
    });
    return [xs, ...ys];
  }

  // A warm-up or fault window from x0 to x1 (canvas pixels), shaded and named at its top.
  function shadeWindow(ctx, w, x0, x1, top, height, px) {
    ctx.fillStyle = w.kind === "fault" ? theme.faultShade : theme.warmupShade;
    ctx.fillRect(x0, top, Math.max(x1 - x0, px), height);
    ctx.fillStyle = w.kind === "fault" ? theme.faultText : theme.warmupText;
    ctx.textBaseline = "top";
    ctx.fillText(w.label, x0 + 3 * px, top + 2 * px);
  }

  // Warm-up and fault windows, shaded under the lines and named at the top of the plot.
  function windowsPlugin(windows) {
    return {
      hooks: {
        drawClear: [
          (u) => {
            const ctx = u.ctx;
            const px = window.devicePixelRatio || 1;
            const { left, top, width, height } = u.bbox;
            ctx.save();
            ctx.font = `${11 * px}px system-ui, sans-serif`;
            for (const w of windows) {
              const x0 = Math.max(left, u.valToPos(w.fromS, "x", true));
              const x1 = Math.min(left + width, u.valToPos(w.toS, "x", true));
              if (x1 >= x0) shadeWindow(ctx, w, x0, x1, top, height, px);
            }
            ctx.restore();
          },
        ],
      },
    };
  }

  // Each line's name at its last point, in its colour, pushed apart where lines end close together:
  // the chart reads without its legend.
  const LABEL_FONT_PX = 11;
  const labelRoom = (spec) => Math.min(180, 12 + 6.5 * Math.max(...spec.series.map((s) => s.name.length)));

  function endLabelsPlugin() {
    return {
      hooks: {
        draw: [
          (u) => {
            const ctx = u.ctx;
            const px = window.devicePixelRatio || 1;
            const labels = [];
            u.series.forEach((s, i) => {
              if (i === 0 || !s.show) return;
              const ys = u.data[i];
              let last = ys.length - 1;
              while (last >= 0 && ys[last] == null) last--;
              if (last < 0) return;
              const colour = typeof s.stroke === "function" ? s.stroke(u, i) : s.stroke;
              labels.push({ text: s.label, colour, x: u.valToPos(u.data[0][last], "x", true), y: u.valToPos(ys[last], "y", true) });
            });
            labels.sort((a, b) => a.y - b.y);
            const gap = (LABEL_FONT_PX + 2) * px;
            for (let i = 1; i < labels.length; i++) if (labels[i].y - labels[i - 1].y < gap) labels[i].y = labels[i - 1].y + gap;
            ctx.save();
            ctx.font = `600 ${LABEL_FONT_PX * px}px system-ui, sans-serif`;
            ctx.textBaseline = "middle";
            ctx.textAlign = "left";
            for (const l of labels) {
              ctx.fillStyle = l.colour;
              ctx.fillText(l.text, l.x + 5 * px, l.y);
            }
            ctx.restore();
            // What was labelled, for the browser test (canvas text is not in the page).
            u.root.dataset.endLabels = JSON.stringify(labels.map((l) => l.text));
          },
        ],
      },
    };
  }

  function options(spec, width) {
    const ticks = spec.xTicks;
    const labelOf = (v) => {
      const t = ticks && ticks.find((tick) => Math.abs(tick.value - v) < 1e-9 * v);
      return t ? t.label : "";
    };
    return {
      width,
      height: 300,
      plugins: [...(spec.windows ? [windowsPlugin(spec.windows)] : []), endLabelsPlugin()],
      // Room on the right for the lines' names.
      padding: [null, labelRoom(spec), null, null],
      // A scenario's timelines share one time axis: the cursor moves on all of them at once.
      ...(spec.xRange ? { cursor: { sync: { key: spec.id.split("-")[0] } } } : {}),
      // uPlot counts series from 1 (0 is x); a band fills from its upper series down to its lower.
      bands: (spec.bands || []).map((b, i) => ({ series: [b.upper + 1, b.lower + 1], fill: i === 0 ? "rgba(31, 119, 180, 0.12)" : "rgba(31, 119, 180, 0.28)" })),
      scales: {
        x: { time: false, distr: spec.xScale === "log" ? 3 : 1, log: 10, ...(spec.xRange ? { range: [spec.xRange[0], spec.xRange[1]] } : {}) },
        y: { distr: spec.yScale === "log" ? 3 : 1, log: 10 },
      },
      axes: [
        { ...axisColours(), label: spec.xLabel, ...(ticks ? { splits: () => ticks.map((t) => t.value), values: (u, splits) => splits.map(labelOf) } : {}) },
        { ...axisColours(), label: spec.yLabel, size: 60 },
      ],
      series: [
        { label: spec.xLabel, value: (u, v) => (v == null ? "" : ticks ? `${(100 * (1 - 1 / v)).toPrecision(6)}%` : String(v)) },
        ...spec.series.map((s, i) => ({
          label: s.name,
          stroke: s.reference ? theme.muted : palette[i % palette.length],
          width: s.reference ? 1 : 1.5,
          dash: s.reference ? [6, 4] : undefined,
          spanGaps: true,
          points: { show: false },
        })),
      ],
    };
  }

  function axisColours() {
    return { stroke: theme.fg, grid: { stroke: theme.line, width: 1 }, ticks: { stroke: theme.line, width: 1 } };
  }

  function drawCharts() {
    for (const c of charts.splice(0)) c.plot.destroy();
    for (const spec of data.charts) {
      const holder = document.querySelector(`[data-chart-id="${spec.id}"]`);
      if (!holder) {
        console.error(`report: no place for chart ${spec.id}`);
        continue;
      }
      const width = Math.max(320, holder.clientWidth);
      charts.push({ plot: new uPlot(options(spec, width), align(spec), holder), holder });
    }
  }
  drawCharts();
  // Heatmaps: plain canvas cells (uPlot draws lines). Darker is more events, on a log scale so a
  // thin tail still shows beside the bulk.
  function cellColour(share) {
    return `hsl(220, 75%, ${Math.round(theme.heatFew + share * (theme.heatMost - theme.heatFew))}%)`;
  }

  function drawHeatmap(spec, canvas) {
    const px = window.devicePixelRatio || 1;
    const cssWidth = Math.max(320, canvas.clientWidth);
    const cssHeight = 300;
    canvas.width = cssWidth * px;
    canvas.height = cssHeight * px;
    const ctx = canvas.getContext("2d");
    ctx.setTransform(px, 0, 0, px, 0, 0);
    ctx.clearRect(0, 0, cssWidth, cssHeight);
    // On the right, the colour scale's legend: which shade is how many events.
    const legendWidth = 84;
    const plot = { left: 64, top: 8, width: cssWidth - 64 - 12 - legendWidth, height: cssHeight - 8 - 44 };
    const endS = spec.xRange ? spec.xRange[1] : spec.intervals.length ? spec.intervals[spec.intervals.length - 1][1] : 1;
    const x = (s) => plot.left + (Math.min(s, endS) / endS) * plot.width;
    const rows = spec.edgesMs.length - 1;
    const y = (row) => plot.top + plot.height - (row / rows) * plot.height;
    const most = Math.max(1, ...spec.counts.flat());
    spec.intervals.forEach(([from, to], i) => {
      spec.counts[i].forEach((count, row) => {
        if (count === 0) return;
        ctx.fillStyle = cellColour(Math.log(1 + count) / Math.log(1 + most));
        ctx.fillRect(x(from), y(row + 1), Math.max(1, x(to) - x(from)), Math.max(1, y(row) - y(row + 1)));
      });
    });
    ctx.font = "11px system-ui, sans-serif";
    // The context is scaled to CSS pixels already: one pixel is 1 here.
    for (const w of spec.windows || []) shadeWindow(ctx, w, x(w.fromS), x(w.toS), plot.top, plot.height, 1);
    ctx.strokeStyle = theme.frame;
    ctx.strokeRect(plot.left, plot.top, plot.width, plot.height);
    ctx.fillStyle = theme.fg;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    // A label at every decade of latency.
    spec.edgesMs.forEach((ms, row) => {
      if (Math.abs(Math.log10(ms) - Math.round(Math.log10(ms))) > 1e-6) return;
      ctx.fillText(ms >= 1 ? `${ms.toLocaleString("en-US")}` : String(ms), plot.left - 6, y(row));
    });
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    const step = endS > 60 ? 10 : endS > 20 ? 5 : endS > 8 ? 2 : 1;
    for (let s = 0; s <= endS + 1e-9; s += step) ctx.fillText(String(s), x(s), plot.top + plot.height + 4);
    ctx.fillText("seconds since start", plot.left + plot.width / 2, plot.top + plot.height + 22);
    drawHeatmapLegend(ctx, most, { left: plot.left + plot.width + 16, top: plot.top, height: plot.height });
    canvas.dataset.legendMost = String(most);
    ctx.save();
    ctx.translate(14, plot.top + plot.height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText("ms", 0, 0);
    ctx.restore();
  }

  // A vertical ramp from one event to the most in any cell, ticks at each power of ten and the most.
  function drawHeatmapLegend(ctx, most, box) {
    const shareOf = (count) => Math.log(1 + count) / Math.log(1 + most);
    const yOf = (share) => box.top + box.height - share * box.height;
    const steps = 48;
    for (let i = 0; i < steps; i++) {
      const from = shareOf(1) + ((1 - shareOf(1)) * i) / steps;
      const to = shareOf(1) + ((1 - shareOf(1)) * (i + 1)) / steps;
      ctx.fillStyle = cellColour(from);
      ctx.fillRect(box.left, yOf(to), 12, yOf(from) - yOf(to) + 0.5);
    }
    ctx.strokeStyle = theme.frame;
    ctx.strokeRect(box.left, yOf(1), 12, yOf(shareOf(1)) - yOf(1));
    ctx.fillStyle = theme.fg;
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    const ticks = [];
    for (let c = 1; c < most; c *= 10) ticks.push(c);
    ticks.push(most);
    // The most and a power of ten drawn on top of each other: keep the most.
    const shown = ticks.filter((c, i) => c === most || yOf(shareOf(c)) - yOf(shareOf(most)) > 12 || i === 0);
    for (const c of shown) ctx.fillText(c.toLocaleString("en-US"), box.left + 16, yOf(shareOf(c)));
    ctx.textBaseline = "top";
    ctx.fillText("events", box.left, box.top + box.height + 4);
    ctx.fillText("per cell", box.left, box.top + box.height + 18);
  }

  const heatmaps = [];
  for (const spec of data.heatmaps || []) {
    const canvas = document.querySelector(`[data-heatmap-id="${spec.id}"]`);
    if (!canvas) {
      console.error(`report: no place for heatmap ${spec.id}`);
      continue;
    }
    drawHeatmap(spec, canvas);
    heatmaps.push({ spec, canvas });
  }
  document.body.dataset.heatmapsDrawn = String(heatmaps.length);
  document.body.dataset.chartsDrawn = String(charts.length);

  document.body.dataset.scheme = schemeName();

  // Charts are canvases of a fixed size: resize them to the page.
  const resize = () => {
    for (const c of charts) c.plot.setSize({ width: Math.max(320, c.holder.clientWidth), height: 300 });
    for (const h of heatmaps) drawHeatmap(h.spec, h.canvas);
  };
  window.addEventListener("resize", resize);

  // A new colour scheme: every canvas drawn again in its colours, at the page's width.
  function redraw() {
    theme = readTheme();
    drawCharts();
    for (const h of heatmaps) drawHeatmap(h.spec, h.canvas);
    document.body.dataset.scheme = schemeName();
  }
  function schemeName() {
    return theme.heatFew < theme.heatMost ? "dark" : "light";
  }
  for (const query of ["(prefers-color-scheme: dark)", "print"]) window.matchMedia(query).addEventListener("change", redraw);

  // On paper: the light colours, and the folded lists open (closed again afterwards).
  let opened = [];
  window.addEventListener("beforeprint", () => {
    document.documentElement.classList.add("printing");
    opened = Array.from(document.querySelectorAll("details:not([open])"));
    for (const d of opened) d.open = true;
    redraw();
  });
  window.addEventListener("afterprint", () => {
    document.documentElement.classList.remove("printing");
    for (const d of opened) d.open = false;
    opened = [];
    redraw();
  });
})();
