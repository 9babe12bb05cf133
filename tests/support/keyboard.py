"""Whether the keyboard reaches every control of a page's forms: Tab is pressed through the page
and each visible, enabled control of a form must take the focus (a radio group counts once, as
Tab enters a group at one of its buttons), with a focus that is drawn.

Controls folded away (a closed `<details>`) are not visible and not counted: their summary is.
"""

from __future__ import annotations

from playwright.sync_api import Page

_MARK = """() => {
  // checkVisibility: false inside a closed <details> (content-visibility), unlike sizes.
  const visible = e => e.checkVisibility({visibilityProperty: true, opacityProperty: false});
  const controls = [...document.querySelectorAll(
      'form input:not([type=hidden]), form select, form textarea, form button')]
    .filter(e => visible(e) && !e.disabled && !e.closest('[inert]'));
  const groups = new Map();
  controls.forEach(e => {
    const key = e.type === 'radio' && e.name ? 'radio:' + e.form?.id + ':' + e.name
                                             : 'c' + groups.size;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(e);
  });
  let i = 0;
  for (const members of groups.values()) {
    members.forEach(e => e.setAttribute('data-kb', String(i)));
    i += 1;
  }
  document.activeElement?.blur();
  const focusable = document.querySelectorAll('a[href], input, select, textarea, button, summary, [tabindex]');
  return [i, focusable.length];
}"""

_FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const drawn = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
  return [e.getAttribute('data-kb'), drawn, e.name || e.id || e.tagName.toLowerCase()];
}"""

_MISSED = """seen => [...document.querySelectorAll('[data-kb]')]
  .filter(e => !seen.includes(e.getAttribute('data-kb')))
  .map(e => (e.name || e.id || e.tagName.toLowerCase()) + (e.type ? ' (' + e.type + ')' : ''))"""


def keyboard_problems(page: Page, limit: int = 400) -> list[str]:
    """The form controls Tab never reached, and those reached without a visible focus."""
    groups, focusable = page.evaluate(_MARK)
    if not groups:
        return []
    seen: set[str] = set()
    undrawn: set[str] = set()
    for _press in range(min(focusable + 5, limit)):
        page.keyboard.press("Tab")
        found = page.evaluate(_FOCUSED)
        if found is None:
            continue
        mark, drawn, name = found
        if mark is not None:
            seen.add(mark)
            if not drawn:
                undrawn.add(name)
        if len(seen) == groups:
            break
    missed: list[str] = page.evaluate(_MISSED, sorted(seen))
    return [f"not reached by Tab: {m}" for m in missed] + [
        f"focus not drawn: {n}" for n in sorted(undrawn)
    ]
