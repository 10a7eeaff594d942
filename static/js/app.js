// Truce Explorer's own script: the "Copy link" buttons. Everything works without it.
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var field = document.createElement("textarea");
      field.value = text;
      field.setAttribute("readonly", "");
      field.className = "visually-hidden";
      document.body.appendChild(field);
      field.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(field);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function setUp(button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy-from") || "");
      var text = source ? source.value : window.location.href;
      var status = document.getElementById(button.getAttribute("data-copy-status") || "");
      copyText(text).then(function () {
        if (status) { status.textContent = "Link copied: " + text; }
      }, function () {
        if (source) { source.select(); }
        if (status) { status.textContent = "Could not copy; the link is selected, press Ctrl+C or ⌘+C."; }
      });
    });
  }

  function init() {
    document.querySelectorAll("button[data-copy-from]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
