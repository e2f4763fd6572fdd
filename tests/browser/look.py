"""What a person would see wrong on a page: labels of a figure on top of each other or cut by its
edge, and control labels cut short.

`look(page)` measures the page as drawn. A plotly figure's text is SVG: each label's box
(`getBBox`) is carried by its screen transform (`getScreenCTM`) to the four corners it covers
on screen, so a rotated label is a rotated box. Two labels overlap when their quadrilaterals
intersect by more than `TOLERANCE_PX` along every separating axis (the separating-axis test for
convex polygons); a label is clipped when a corner lies outside its figure's box. Hidden text
(display none, visibility hidden, opacity 0, an empty string) is not looked at, nor are hover
labels. The 3D scenes draw their axes with WebGL, not SVG: a person checks those on the
screenshots.

A control's label is cut when its text is wider than its box (`scrollWidth > clientWidth`), the
way an ellipsis or `overflow: hidden` hides the end of "learning rate alpha". An icon is blank
when the font its glyph is drawn in has not been loaded by the page (the tests refuse every
request that leaves the machine, so a font from the network never is).

The page is measured once it has settled (`SETTLED_JS`): no font still loading, and every app's
figure drawn live, since the lesson apps show a still picture first and go live one after
another (`gdviz.apps._pacer`).
"""

import contextlib

from playwright.sync_api import TimeoutError as PlaywrightTimeout

TOLERANCE_PX = 1.0
SETTLE_S = 20

# An app's figure is live and drawn: plotly has drawn its traces (a FigureWidget's view draws an
# empty plot first, then the figure), and not inside the `Output` that shows the still picture
# (ipywidgets gives an Output's view the class `widget-output`).
APP_LIVE_JS = """(app) => {
  const gd = app && app.querySelector('.js-plotly-plot');
  return !!(gd && gd._fullLayout && gd.data && gd.data.length && !gd.closest('.widget-output'));
}"""
SETTLED_JS = f"""() => document.fonts.status === 'loaded' &&
  Array.from(document.querySelectorAll('.gdviz-app')).every((app) => ({APP_LIVE_JS})(app))"""

LOOK_JS = """(tolerance) => {
  const hidden = (element) => {
    for (let node = element; node && node.nodeType === 1; node = node.parentNode) {
      const style = getComputedStyle(node);
      if (style.display === 'none' || style.visibility === 'hidden' || parseFloat(style.opacity) === 0) {
        return true;
      }
      if (node.tagName === 'svg' && node.classList.contains('main-svg')) break;
    }
    const fill = getComputedStyle(element).fillOpacity;
    return fill !== undefined && parseFloat(fill) === 0;
  };
  const corners = (element) => {
    const box = element.getBBox();
    const matrix = element.getScreenCTM();
    if (!matrix || box.width === 0 || box.height === 0) return null;
    return [[box.x, box.y], [box.x + box.width, box.y], [box.x + box.width, box.y + box.height],
            [box.x, box.y + box.height]].map(([x, y]) => [matrix.a * x + matrix.c * y + matrix.e,
                                                        matrix.b * x + matrix.d * y + matrix.f]);
  };
  const axes = (quad) => quad.map((point, i) => {
    const next = quad[(i + 1) % 4];
    return [next[1] - point[1], point[0] - next[0]];
  });
  const overlap = (one, other) => {
    for (const [ax, ay] of [...axes(one), ...axes(other)]) {
      const length = Math.hypot(ax, ay);
      if (length === 0) continue;
      const project = (quad) => quad.map(([x, y]) => (x * ax + y * ay) / length);
      const a = project(one), b = project(other);
      const depth = Math.min(Math.max(...a), Math.max(...b)) - Math.max(Math.min(...a), Math.min(...b));
      if (depth <= tolerance) return false;
    }
    return true;
  };
  const kind = (element) => {
    const group = element.closest('g[class]');
    return group ? group.getAttribute('class').split(' ')[0] : element.getAttribute('class') || 'text';
  };
  const figures = Array.from(document.querySelectorAll('.js-plotly-plot')).map((gd, index) => {
    const frame = gd.getBoundingClientRect();
    const labels = [];
    gd.querySelectorAll('svg.main-svg text').forEach((element) => {
      if (element.closest('.hoverlayer')) return;
      const text = element.textContent.trim();
      if (!text || hidden(element)) return;
      const quad = corners(element);
      if (quad) labels.push({text: text.slice(0, 60), kind: kind(element), quad: quad});
    });
    const overlaps = [];
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        if (overlap(labels[i].quad, labels[j].quad)) {
          overlaps.push([`${labels[i].kind} "${labels[i].text}"`, `${labels[j].kind} "${labels[j].text}"`]);
        }
      }
    }
    const clipped = labels.filter((label) => label.quad.some(([x, y]) =>
      x < frame.left - tolerance || x > frame.right + tolerance ||
      y < frame.top - tolerance || y > frame.bottom + tolerance))
      .map((label) => `${label.kind} "${label.text}"`);
    const title = ((gd.layout || {}).title || {}).text || '';
    return {index: index, title: title.replace(/<[^>]*>/g, ' ').slice(0, 80), labels: labels.length,
            overlaps: overlaps, clipped: clipped};
  });
  const cut = [];
  const controls = ['label', '.widget-label', 'button', '.widget-readout', '.widget-dropdown select',
                    '.widget-checkbox span'].map((selector) => `.jupyter-widgets ${selector}`).join(', ');
  document.querySelectorAll(controls).forEach((element) => {
    if (element.closest('.js-plotly-plot') || hidden(element)) return;
    const text = element.textContent.trim();
    if (text && element.scrollWidth > element.clientWidth + tolerance) {
      cut.push(`"${text.slice(0, 40)}" needs ${element.scrollWidth} px, has ${element.clientWidth} px`);
    }
  });
  // An icon (ipywidgets draws a button's icon as Font Awesome's glyph) whose font is not loaded
  // shows an empty box: every icon's font must be one the page has loaded, from no network.
  const loaded = Array.from(document.fonts).filter((face) => face.status === 'loaded')
    .map((face) => `${face.family.replace(/["']/g, '')} ${face.weight}`);
  const blank = [];
  document.querySelectorAll('.fa, [class^="fa-"], [class*=" fa-"]').forEach((element) => {
    if (hidden(element)) return;
    const glyph = getComputedStyle(element, '::before');
    if (!glyph.content || glyph.content === 'none') return;
    const family = glyph.fontFamily.split(',')[0].trim().replace(/["']/g, '');
    if (!loaded.includes(`${family} ${glyph.fontWeight}`)) {
      blank.push(`${element.className} (${family} ${glyph.fontWeight} not loaded)`);
    }
  });
  return {figures: figures, cut: cut, icons: blank};
}"""


def look(page):
    """{"figures": [{index, title, labels, overlaps, clipped}], "cut": [...], "icons": [...]} as drawn,
    once the page has settled (or `SETTLE_S` has passed: then what is drawn is measured)."""
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(SETTLED_JS, timeout=SETTLE_S * 1000, polling=100)
    return page.evaluate(LOOK_JS, TOLERANCE_PX)


def problems(seen):
    """Every problem `look` found, one line each: the figure (index and title) and the labels."""
    lines = []
    for figure in seen["figures"]:
        where = f"figure {figure['index']} ({figure['title'] or 'untitled'})"
        lines += [f"{where}: {one} overlaps {other}" for one, other in figure["overlaps"]]
        lines += [f"{where}: {label} is cut by the figure's edge" for label in figure["clipped"]]
    lines += [f"control label cut short: {control}" for control in seen["cut"]]
    lines += [f"icon drawn as an empty box: {icon}" for icon in seen["icons"]]
    return lines


# The page's own text that a lecture needs large: every element that holds text of its own in a
# notebook's rendered markdown or in a cell's printed output (figures and widgets are measured
# with their own rules), smaller than `least` px, with where it is. Voila and JupyterLab render
# both with JupyterLab's classes.
SMALL_PROSE_JS = """(least) => {
  const small = [];
  document.querySelectorAll('.jp-RenderedMarkdown *, .jp-RenderedMarkdown, .jp-OutputArea-output *')
    .forEach((element) => {
      const elsewhere = '.js-plotly-plot, .jupyter-widgets, .MathJax, mjx-container, style, script';
      if (element.closest(elsewhere)) return;
      const own = Array.from(element.childNodes).filter((node) => node.nodeType === 3)
        .map((node) => node.textContent).join('').trim();
      if (!own || element.getClientRects().length === 0) return;
      const size = parseFloat(getComputedStyle(element).fontSize);
      if (size < least) small.push(`${element.tagName.toLowerCase()} "${own.slice(0, 30)}": ${size}px`);
    });
  return small;
}"""


def small_prose(page, least):
    """Prose, tables and printed output in the page drawn under `least` px, one line each."""
    return page.evaluate(SMALL_PROSE_JS, least)
