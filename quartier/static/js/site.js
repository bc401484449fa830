// Behaviour every page may ask for with data- attributes: the Content-Security-Policy allows no
// inline code (no <script> bodies, on...= handlers or hx-on attributes), so it lives here.
"use strict";

// data-swap-status="400 422": htmx swaps only 2xx answers by default; inside an element with
// this attribute, answers with the listed statuses are swapped too (a form with its errors).
document.addEventListener("htmx:beforeSwap", (event) => {
  const holder = event.target.closest && event.target.closest("[data-swap-status]");
  if (!holder) return;
  const statuses = holder.dataset.swapStatus.split(/\s+/);
  if (statuses.includes(String(event.detail.xhr.status))) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
