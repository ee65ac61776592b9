/* 创文通: the small behaviours every page shares, bound from data attributes (the Content-Security-Policy
 * allows no inline script and no onclick/onchange attributes). Delegated to the document, so content that htmx
 * swaps in works too.
 *   data-action="toggle-nav"   the phone menu button
 *   data-action="print"        print the page
 *   data-autosubmit            a select or input that submits its form when changed
 *   form[data-confirm]         asks before submitting */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (!target) { return; }
    if (target.dataset.action === "toggle-nav") {
      document.body.classList.toggle("nav-open");
    } else if (target.dataset.action === "print") {
      window.print();
    }
  });

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.submit();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
