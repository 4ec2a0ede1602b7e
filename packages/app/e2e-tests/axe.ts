import AxeBuilder from '@axe-core/playwright';
import { expect, Locator, Page } from '@playwright/test';

const SCOPE = 'data-axe-scope';

/**
 * Runs axe-core on what the page shows once its transitions have ended
 * (wait for the content first), or only
 * inside `within`, and fails on any serious or critical violation, naming
 * each rule and the elements it found.
 */
export async function expectNoSeriousA11yViolations(
  page: Page,
  options: { within?: Locator } = {},
) {
  // A label or a row still moving has colours between two states; judge
  // the page once its transitions have ended: endless ones (a spinner) and
  // those driven by scrolling (Backstage UI's card shadows) never do.
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every(
        a =>
          a.playState !== 'running' ||
          a.timeline !== document.timeline ||
          a.effect?.getComputedTiming().iterations === Infinity,
      ),
  );
  const axe = new AxeBuilder({ page });
  if (options.within) {
    await options.within.evaluate(
      (el, attr) => el.setAttribute(attr, ''),
      SCOPE,
    );
    axe.include(`[${SCOPE}]`);
  }
  const { violations } = await axe.analyze();
  if (options.within) {
    await options.within.evaluate(
      (el, attr) => el.removeAttribute(attr),
      SCOPE,
    );
  }
  const serious = violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(
      v =>
        `${v.id} (${v.impact}): ${v.help}\n${v.nodes
          .map(
            n =>
              `  ${n.target.join(' ')}\n    ${(n.failureSummary ?? '')
                .split('\n')
                .join('\n    ')}`,
          )
          .join('\n')}`,
    );
  expect(serious, 'serious or critical accessibility violations').toEqual([]);
}
