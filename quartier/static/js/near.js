/* "Use my location" on the search form (search/partials/form.html): asks the browser for the
   position (Geolocation API), puts it into the form's hidden lat/lon fields rounded to three
   decimals (about 100 m) and submits the form. Nothing is kept: no cookie, no storage.

   Without JavaScript or geolocation the button stays hidden and the address field and the
   area select do the same job. The form may be swapped by htmx: the handlers are delegated
   and the button is shown again for each new form. */
(function () {
  "use strict";
  if (!("geolocation" in navigator)) {
    return;
  }

  function reveal() {
    var button = document.getElementById("use-location");
    if (button) {
      button.closest(".locate").hidden = false;
    }
  }

  function say(button, message) {
    var status = document.getElementById("use-location-status");
    if (status) {
      status.textContent = message;
    }
  }

  function locate(button) {
    var form = button.form;
    say(button, button.dataset.locating);
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.elements.lat.value = position.coords.latitude.toFixed(3);
        form.elements.lon.value = position.coords.longitude.toFixed(3);
        // The position replaces an address or an area chosen before.
        if (form.elements.address) { form.elements.address.value = ""; }
        if (form.elements.near) { form.elements.near.value = ""; }
        say(button, button.dataset.found);
        button.disabled = false;
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      },
      function (error) {
        button.disabled = false;
        say(button, error.code === error.PERMISSION_DENIED ? button.dataset.denied : button.dataset.failed);
      },
      { enableHighAccuracy: false, maximumAge: 300000, timeout: 20000 }
    );
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("#use-location");
    if (button) {
      event.preventDefault();
      locate(button);
    }
  });
  // A typed address or a chosen area replaces a point given before.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.form && field.form.classList.contains("search-form") &&
        (field.name === "address" || field.name === "near") && field.value) {
      field.form.elements.lat.value = "";
      field.form.elements.lon.value = "";
    }
  });
  document.addEventListener("htmx:load", reveal);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", reveal);
  } else {
    reveal();
  }
})();
