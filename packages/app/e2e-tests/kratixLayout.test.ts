/*
 * The entity tab at the two window sizes a team uses (a laptop at 1400×1000, a small window at
 * 1024×800): the page never scrolls sideways, whatever the Resources say. Columns give way first.
 * Every tab is photographed at both sizes under test-output/screenshots/ for a person to look at.
 */
import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { collectPageErrors, waitForBackendReady } from './support';

const repo = path.resolve(__dirname, '../../..');
const screenshotDir = path.join(repo, 'test-output/screenshots');

const sizes = [
  { width: 1400, height: 1000 },
  { width: 1024, height: 800 },
];

/** Entities whose tabs are checked: many Resources with long messages, and the tutorial's one. */
const tabs = ['checkout-service', 'search-service'];

test.beforeAll(async () => {
  test.setTimeout(200_000);
  await waitForBackendReady();
});

/** How far the page is wider than its window, and the widest things sticking out (for the failure). */
async function overflowOf(page: Page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const excess = doc.scrollWidth - doc.clientWidth;
    const culprits: string[] = [];
    // Scrolling containers inside the page count too: a table cut off in its own box is no better.
    for (const el of Array.from(
      document.querySelectorAll<HTMLElement>(
        '[data-testid="kratix-content"] *',
      ),
    )) {
      const style = getComputedStyle(el);
      const scrolls =
        (style.overflowX === 'auto' || style.overflowX === 'scroll') &&
        el.scrollWidth > el.clientWidth + 1;
      if (el.getBoundingClientRect().right > doc.clientWidth + 1 || scrolls) {
        // Name it by where it sits: the nearest test id, table name or card title.
        const near = el.closest('[data-testid],[aria-label]');
        const where =
          near?.getAttribute('data-testid') ??
          near?.getAttribute('aria-label') ??
          '';
        culprits.push(
          `${el.tagName.toLowerCase()} in ${where} right=${Math.round(
            el.getBoundingClientRect().right,
          )} scroll=${el.scrollWidth}/${el.clientWidth} "${(
            el.textContent ?? ''
          ).slice(0, 40)}"`,
        );
      }
    }
    return { excess, culprits: culprits.slice(0, 8) };
  });
}

for (const entity of tabs) {
  for (const size of sizes) {
    test(`${entity}'s Kratix tab does not scroll sideways at ${size.width}×${size.height}`, async ({
      page,
    }) => {
      test.setTimeout(120_000);
      const errors = collectPageErrors(page);
      fs.mkdirSync(screenshotDir, { recursive: true });
      await page.setViewportSize(size);

      await page.goto(`/catalog/default/component/${entity}/kratix`);
      await page.getByRole('button', { name: 'Enter' }).click();
      await expect(page.getByTestId('kratix-overview')).toBeVisible();
      // A detail is measured too: the tab opens one or two Resources by itself (rows and their open
      // state render together); with more, open the first.
      const panel = page.getByTestId('kratix-resource-panel').first();
      if (!(await panel.isVisible())) {
        await page.getByTestId('kratix-resource').first().click();
      }
      await expect(panel).toBeVisible();
      await expect(page.getByTestId('kratix-timeline').first()).toBeVisible();

      expect(await overflowOf(page)).toEqual({ excess: 0, culprits: [] });
      await page.screenshot({
        path: path.join(screenshotDir, `tab-${entity}-${size.width}.png`),
        fullPage: true,
      });
      expect(errors).toEqual([]);
    });
  }
}
