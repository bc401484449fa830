// The search page's filter panel (search/partials/form.html, a details element).
// 1. htmx replaces the whole layout and the new panel arrives closed: keep it as it was, so
//    that ticking a filter on a narrow screen does not close the panel under the finger.
// 2. Browsers without ::details-content cannot show a closed panel's content as the wide
//    screen's column (css/quartier.css): open it there instead.
(() => {
  const WIDE = window.matchMedia("(min-width: 64em)");
  const SHOWS_CLOSED = window.CSS && CSS.supports("selector(::details-content)");
  let wasOpen = false;
  const panel = () => document.getElementById("search-filters");
  const widen = () => {
    const element = panel();
    if (element && WIDE.matches && !SHOWS_CLOSED) element.open = true;
  };
  document.addEventListener("htmx:beforeSwap", () => {
    wasOpen = Boolean(panel() && panel().open);
  });
  document.addEventListener("htmx:afterSwap", () => {
    const element = panel();
    if (element && wasOpen) element.open = true;
    widen();
  });
  document.addEventListener("DOMContentLoaded", widen);
})();
