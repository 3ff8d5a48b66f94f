/** Which form controls in a part of the page show their text cut off: a select's chosen option, an input's value or placeholder. */
import type { Locator } from '@playwright/test';

/** The texts of the controls under `scope` that do not fit their box (a select keeps room for its arrow). */
export async function cutControlTexts(scope: Locator): Promise<string[]> {
  return scope.evaluate((root) => {
    const ctx = root.ownerDocument.createElement('canvas').getContext('2d')!;
    const cut: string[] = [];
    for (const el of root.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input:not([type=checkbox]):not([type=radio]), select')) {
      const s = getComputedStyle(el);
      const isSelect = el instanceof HTMLSelectElement;
      const text = isSelect ? (el.selectedOptions[0]?.text ?? '') : el.value || el.placeholder;
      ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
      // Chromium draws a select's arrow in about 20 px at its right, inside the padding box.
      const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - (isSelect ? 20 : 0);
      if (ctx.measureText(text).width > room) cut.push(text);
    }
    return cut;
  });
}
