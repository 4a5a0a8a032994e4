import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

/*
 * Waits stay on what the page shows (findBy*, waitFor), but on a loaded 2-core machine a relayout of
 * the "Where it landed" graph in jsdom can take longer than testing-library's 1 s default, and a
 * test that opens the spec editor took over 30 s when the machine ran more than the suite (a file
 * of 12 tests: 216 s). Give each wait, and each test, room for that; these bound a stuck wait, they
 * never order anything.
 */
configure({ asyncUtilTimeout: 20_000 });
jest.setTimeout(60_000);

/*
 * jsdom does no layout, so SVG elements have no getBBox; Backstage's DependencyGraph (the "Where it
 * landed" graph) calls it on every node and edge label to size them for dagre. Backstage's own
 * catalog-graph tests stub it the same way. This stub estimates a box from the content instead of a
 * constant: a <rect> child gives its own size (our nodes and labels draw one sized from their text),
 * otherwise about 7 px a character and 16 px a line of text, so the layout still has real sizes.
 */
if (
  typeof window !== 'undefined' &&
  window.SVGElement &&
  !('getBBox' in window.SVGElement.prototype)
) {
  Object.defineProperty(window.SVGElement.prototype, 'getBBox', {
    configurable: true,
    value: function getBBox(this: SVGElement) {
      const rect = this.querySelector('rect');
      const width = Number(rect?.getAttribute('width'));
      const height = Number(rect?.getAttribute('height'));
      if (rect && width > 0 && height > 0) {
        return { x: 0, y: 0, width, height };
      }
      const texts = Array.from(this.querySelectorAll('text'));
      const lines = texts.length
        ? texts.map(t => t.textContent ?? '')
        : [this.textContent ?? ''];
      return {
        x: 0,
        y: 0,
        width: Math.max(0, ...lines.map(l => l.length * 7)),
        height: lines.filter(Boolean).length * 16,
      };
    },
  });
}
