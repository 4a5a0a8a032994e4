/*
 * The axis labels stay inside the chart: one that would cross an end if centred is aligned to it
 * (a label 3 px past the end made the tab scroll sideways at 1024 px in a browser test).
 */
import { tickTransform } from './TimelineChart';

describe('tickTransform', () => {
  it('aligns a label within half its room of an end to that end, and centres the rest', () => {
    // Ticks 20% apart: each label may be 20% wide, so it crosses an end within 10% of it.
    expect(tickTransform(0.08, 0.1)).toBe('none');
    expect(tickTransform(0.92, 0.1)).toBe('translateX(-100%)');
    expect(tickTransform(0.5, 0.1)).toBe(undefined);
    // Close ticks keep the fixed margin near the ends.
    expect(tickTransform(0.05, 0.01)).toBe('none');
    expect(tickTransform(0.95, 0.01)).toBe('translateX(-100%)');
    expect(tickTransform(0.9, 0.01)).toBe(undefined);
  });
});
