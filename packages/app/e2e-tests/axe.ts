import AxeBuilder from '@axe-core/playwright';
import { expect, Locator, Page } from '@playwright/test';

const SCOPE = 'data-axe-scope';

/**
 * Runs axe-core on what the page shows now (wait for it first), or only
 * inside `within`, and fails on any serious or critical violation, naming
 * each rule and the elements it found.
 */
export async function expectNoSeriousA11yViolations(
  page: Page,
  options: { within?: Locator } = {},
) {
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
          .map(n => `  ${n.target.join(' ')}`)
          .join('\n')}`,
    );
  expect(serious, 'serious or critical accessibility violations').toEqual([]);
}
