/*
 * Timeline pages (issue 20, Low 9): the newest page first, cursors that walk back to the beginning
 * with no entry twice or missed (equal entries included), and a bad cursor or limit named as such.
 */
import type { KratixTimelineEntry } from '@kratix-backstage/plugin-kratix-common';
import { pageTimeline, parsePageQuery } from './timeline';

const entry = (second: number, title = 'Paused'): KratixTimelineEntry => ({
  time: new Date(Date.UTC(2026, 10, 25, 10, 0, second)).toISOString(),
  source: 'action',
  title,
  status: 'user:default/guest',
});

describe('pageTimeline', () => {
  const all = [
    ...Array.from({ length: 25 }, (_, i) => entry(i)),
    // Three entries no key can tell apart, where a page boundary falls.
    entry(30, 'Same'),
    entry(30, 'Same'),
    entry(30, 'Same'),
    entry(31),
  ];

  it('answers the newest page, then older pages, each entry exactly once', () => {
    const first = pageTimeline(all, { limit: 2 });
    expect(first.total).toBe(29);
    // The boundary would split the equal entries: they stay together.
    expect(first.entries.map(e => e.title)).toEqual([
      'Same',
      'Same',
      'Same',
      'Paused',
    ]);
    const seen = [...first.entries];
    let next = first.next;
    while (next) {
      const page = pageTimeline(all, { limit: 10, before: next });
      expect(page.entries.length).toBeLessThanOrEqual(10);
      seen.unshift(...page.entries);
      next = page.next;
    }
    expect(seen).toEqual(all);
  });

  it('answers everything, with no cursor, when it fits one page', () => {
    expect(pageTimeline(all, { limit: 500 })).toEqual({
      entries: all,
      next: undefined,
      total: 29,
    });
  });

  it('refuses a cursor it did not give and a limit out of bounds, naming the field', () => {
    expect(() => pageTimeline(all, { limit: 5, before: 'bm9wZQ' })).toThrow(
      /^before: not a cursor this route gave/,
    );
    expect(() => parsePageQuery({ limit: '0' }, 100)).toThrow(/^limit: /);
    expect(() => parsePageQuery({ limit: '501' }, 100)).toThrow(/^limit: /);
    expect(() => parsePageQuery({ limit: 'ten' }, 100)).toThrow(/^limit: /);
    expect(parsePageQuery({}, 100)).toEqual({ limit: 100 });
    expect(parsePageQuery({ limit: '7', before: 'x' }, 100)).toEqual({
      limit: 7,
      before: 'x',
    });
  });
});
