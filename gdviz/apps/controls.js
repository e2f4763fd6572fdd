// gdviz's own controls: a slider a screen reader can name and read, a play button, and a
// status line that is announced when it changes. Built on native elements (<input type="range">,
// <button>), so the browser gives them keyboard operation and accessibility for free; each user
// change sends exactly one message to the kernel.

// A Python format spec as the readouts use it: ".3g", ".2f", ".0e" or "d".
function format(value, spec) {
  const match = /^\.?(\d*)([dfge]?)$/.exec(spec || "");
  if (!Number.isFinite(value) || !match) return String(value);
  const digits = match[1] === "" ? 6 : Number(match[1]);
  switch (match[2]) {
    case "d": return String(Math.round(value));
    case "f": return value.toFixed(digits).replace(/^-(0\.?0*)$/, "$1");
    case "e": return value.toExponential(digits).replace(/e([+-])(\d)$/, "e$10$2");
    default: {  // "g": significant digits, trailing zeros dropped, like Python
      if (value === 0) return "0";
      const exponent = Math.floor(Math.log10(Math.abs(value)));
      const precision = Math.max(digits, 1);
      if (exponent < -4 || exponent >= precision) {
        return value.toExponential(precision - 1).replace(/\.?0+e/, "e").replace(/e([+-])(\d)$/, "e$10$2");
      }
      return String(Number(value.toPrecision(precision)));
    }
  }
}

// Unique in the page, though every widget may load its own copy of this module.
function uniqueId(prefix) {
  return `${prefix}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}

// Call show() now and whenever one of `names` changes; returns what undoes it.
function watch(model, names, show) {
  show();
  for (const name of names) model.on(`change:${name}`, show);
  return () => { for (const name of names) model.off(`change:${name}`, show); };
}

function largeText(model, el) {
  const apply = () => el.classList.toggle("gdviz-large", Boolean(model.get("large")));
  apply();
  model.on("change:large", apply);
}

// value <-> position on the range input: a log slider moves along the exponent.
function scaleOf(model) {
  if (model.get("_kind") !== "log_slider") return { to: (v) => v, from: (p) => p };
  const base = model.get("base");
  return { to: (v) => Math.log(v) / Math.log(base), from: (p) => base ** p };
}

const SLIDER_KEYS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End",
                             "PageUp", "PageDown"]);

// The slider's own keys stay with it. JupyterLab and Notebook 7 bind the arrows (and Home, End,
// ...) to moving between cells, in listeners on the document that cancel the key before the
// slider sees it. One listener on the window, which hears a key before the document does, stops
// those keys from travelling further when they are meant for one of these sliders; stopping an
// event does not cancel it, so the browser still moves the slider. Each widget may load its own
// copy of this module, so the sliders are marked in the page, not listed in the module.
function keepKeys(input) {
  input.dataset.gdvizSlider = "";
  if (window.__gdvizSliderKeys) return;
  window.__gdvizSliderKeys = true;
  window.addEventListener("keydown", (event) => {
    const target = event.target;
    if (SLIDER_KEYS.has(event.key) && target instanceof HTMLElement && "gdvizSlider" in target.dataset) {
      event.stopPropagation();
    }
  }, true);
}

function renderSlider(model, el) {
  el.classList.add("gdviz-control", "gdviz-slider");
  const id = uniqueId("gdviz-slider");
  const label = document.createElement("label");
  label.htmlFor = id;
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  // The readout is also a text box: type a number, press Enter.
  const readout = document.createElement("input");
  readout.type = "text";
  readout.className = "gdviz-readout";
  readout.setAttribute("inputmode", "decimal");
  el.append(label, input, readout);

  const name = () => model.get("accessible_name") || model.get("description");
  // A selection slider moves an index into its labels; the others move their value.
  const selection = model.get("_kind") === "selection";
  const key = selection ? "index" : "value";
  const integer = () => selection || model.get("_kind") === "int_slider";
  const text = (value) => (selection ? model.get("labels")[value] ?? "" : format(value, model.get("readout_format")));

  function show() {
    const scale = scaleOf(model);
    label.textContent = model.get("description");
    label.style.minWidth = model.get("description_width");  // at least this wide, and never cut
    label.hidden = !model.get("description");
    input.setAttribute("aria-label", name());
    readout.setAttribute("aria-label", `${name()}, type a value`);
    input.min = String(model.get("min"));
    input.max = String(model.get("max"));
    input.step = String(model.get("step"));
    input.value = String(scale.to(model.get(key)));
    input.disabled = readout.disabled = Boolean(model.get("disabled"));
    showValue(model.get(key));
  }

  function showValue(value) {
    input.setAttribute("aria-valuetext", text(value));
    if (document.activeElement !== readout) readout.value = text(value);
  }

  function valueAt(position) {
    const value = scaleOf(model).from(position);
    return integer() ? Math.round(value) : value;
  }

  function send(value) {
    model.set(key, value);
    model.save_changes();
  }

  keepKeys(input);
  input.addEventListener("input", () => {
    const value = valueAt(Number(input.value));
    showValue(value);
    if (model.get("continuous_update")) send(value);
  });
  input.addEventListener("change", () => {
    if (!model.get("continuous_update")) send(valueAt(Number(input.value)));
  });

  // A typed value: a number (a label, for a selection), clipped to the slider's range.
  function typed() {
    const entry = readout.value.trim();
    const scale = scaleOf(model);
    let value = selection ? model.get("labels").indexOf(entry) : Number(entry);
    if (entry === "" || !Number.isFinite(value) || (selection && value < 0)) {
      readout.value = text(model.get(key));
      return;
    }
    value = Math.min(Math.max(value, scale.from(model.get("min"))), scale.from(model.get("max")));
    if (integer()) value = Math.round(value);
    if (value !== model.get(key)) send(value);
    readout.value = text(model.get(key));
    input.value = String(scale.to(model.get(key)));
    input.setAttribute("aria-valuetext", text(model.get(key)));
  }
  readout.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); typed(); }
  });
  readout.addEventListener("blur", typed);

  return watch(model, [key, "min", "max", "step", "base", "labels", "description", "accessible_name",
                       "description_width", "readout_format", "disabled"], show);
}

function renderPlay(model, el) {
  el.classList.add("gdviz-control", "gdviz-play");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "gdviz-button";
  el.append(button);
  let timer = null;

  function show() {
    const glyph = timer === null ? "\u25B6" : "\u23F8";
    const words = timer === null ? model.get("description") : model.get("pause_description");
    button.replaceChildren();
    const icon = document.createElement("span");
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = `${glyph} `;
    button.append(icon, document.createTextNode(words));
    button.disabled = Boolean(model.get("disabled"));
  }

  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    show();
  }

  function tick() {
    const next = model.get("value") + 1;
    if (next > model.get("max")) { stop(); return; }
    model.set("value", next);
    model.save_changes();
    if (next >= model.get("max")) stop();
  }

  button.addEventListener("click", () => {
    if (timer !== null) { stop(); return; }
    if (model.get("value") >= model.get("max")) {  // at the end: start again from the beginning
      model.set("value", model.get("min"));
      model.save_changes();
    }
    timer = setInterval(tick, model.get("interval"));
    show();
  });

  const unwatch = watch(model, ["description", "pause_description", "disabled"], show);
  return () => { stop(); unwatch(); };
}

function renderStatus(model, el) {
  el.classList.add("gdviz-control", "gdviz-status");
  // The region exists before its first change and only its content changes: that is what
  // makes a screen reader announce each new status.
  const region = document.createElement("div");
  if (model.get("live")) region.setAttribute("role", "status");
  el.append(region);
  const show = () => { region.innerHTML = model.get("value"); };
  show();
  model.on("change:value", show);
  return () => model.off("change:value", show);
}

const RENDERERS = { slider: renderSlider, int_slider: renderSlider, log_slider: renderSlider,
                    selection: renderSlider, play: renderPlay, status: renderStatus };

function render({ model, el }) {
  largeText(model, el);
  // Tell the kernel when this view is drawn and taken away, and the first time it takes the focus
  // (a Tab or a click): an app drawn still goes live in its turn once the page shows it, one app at
  // a time, and next when a student reaches for it (apps/_pacer.py). Focus only, not the pointer:
  // scrolling a page moves the pointer over many apps, which would put them all at the front.
  const reached = () => {
    el.removeEventListener("focusin", reached);
    model.send({ event: "reached" });
  };
  el.addEventListener("focusin", reached);
  const cleanup = RENDERERS[model.get("_kind")](model, el);
  // Asked whether the page is idle (the kernel is about to make a live figure, whose 5 MB module
  // would block the page for seconds): answer once the page's main thread has nothing to do, so
  // that no other widget is still loading its module then. Browsers without idle callbacks wait
  // a second.
  const asked = (content) => {
    if (!content || content.ask !== "idle") return;
    const answer = () => model.send({ event: "idle" });
    if (window.requestIdleCallback) window.requestIdleCallback(answer, { timeout: 10000 });
    else setTimeout(answer, 1000);
  };
  model.on("msg:custom", asked);
  model.send({ event: "shown" });
  return () => {
    el.removeEventListener("focusin", reached);
    model.off("msg:custom", asked);
    if (cleanup) cleanup();
    try {
      model.send({ event: "hidden" });
    } catch (error) {
      // The kernel has gone (the page is closing): there is no one to tell.
    }
  };
}

export default { render };
