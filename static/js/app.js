// Truce Explorer's own script: the "Copy link" and "Copy code" buttons, the embed panel's live theme
// choice and preview height, focus after "Show more", and Back pressed twice. Everything works without it.
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

  // What the status says, in the page's language: a button carries its messages in data-msg-copied
  // and data-msg-failed (the template puts them through gettext; %s is the link), or else the
  // English ones below are used.
  function message(button, name, fallback, link) {
    var text = button.getAttribute("data-msg-" + name) || fallback;
    return text.replace("%s", function () { return link; });
  }

  function copyFrom(button) {
    var source = document.getElementById(button.getAttribute("data-copy-from") || "");
    var text = source ? source.value : window.location.href;
    var status = document.getElementById(button.getAttribute("data-copy-status") || "");
    copyText(text).then(function () {
      if (status) { status.textContent = message(button, "copied", "Link copied: %s", text); }
    }, function () {
      if (source) {
        source.focus();
        source.select();
        if (status) { status.textContent = message(button, "failed", "Could not copy; the link is selected, press Ctrl+C or ⌘+C.", text); }
      } else if (status) {
        // No field to select (the "this view" button copies the address): show the link itself.
        status.textContent = message(button, "failed", "Could not copy. The link to this view is %s", text);
      }
    });
  }

  // One listener on the document, so buttons that htmx brings in later (a history restore swaps in
  // the whole page from the server) work without being set up again.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy-from]") : null;
    if (button) { copyFrom(button); }
  });

  // The embed panel: choosing a theme swaps the code and the preview at once (without JS, the form reloads).
  document.addEventListener("change", function (event) {
    var choice = event.target;
    if (!choice.matches || !choice.matches("input[data-embed-code]")) { return; }
    var panel = choice.closest(".embed-panel");
    panel.querySelector("#embed-code").value = choice.getAttribute("data-embed-code");
    panel.querySelector(".embed-preview").src = choice.getAttribute("data-embed-preview");
  });

  // The preview posts its height like any embed; fit it, as the host-page snippet does.
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== window.location.origin || !data || data.type !== "truce-explorer:height") { return; }
    document.querySelectorAll("iframe.embed-preview").forEach(function (frame) {
      if (frame.contentWindow === event.source) { frame.style.height = data.height + "px"; }
    });
  });

  function reveal() {
    document.querySelectorAll("button[data-copy-from][hidden]").forEach(function (button) {
      button.hidden = false;
    });
    document.querySelectorAll(".embed-theme-submit, .share-fallback").forEach(function (element) {
      element.hidden = true;
    });
  }

  // On the English home page, offer (never impose) the language the browser prefers, if we have it.
  function offerLanguage() {
    var offer = document.querySelector(".language-offer");
    if (!offer) { return; }
    var preferred = (navigator.languages || [navigator.language || ""]).map(function (tag) {
      return String(tag).toLowerCase().split("-")[0];
    });
    for (var i = 0; i < preferred.length; i++) {
      if (preferred[i] === "en") { return; }
      var link = offer.querySelector("[data-language-offer='" + preferred[i] + "']");
      if (link) {
        link.hidden = false;
        offer.hidden = false;
        return;
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", reveal);
    document.addEventListener("DOMContentLoaded", offerLanguage);
  } else {
    reveal();
    offerLanguage();
  }
  // "Show more" replaces itself with the next page's pager: move focus to the first new item, so a
  // keyboard or screen-reader user carries on reading where the new page starts.
  document.addEventListener("htmx:afterSettle", function (event) {
    var trigger = event.detail && event.detail.requestConfig ? event.detail.requestConfig.elt : null;
    if (!trigger || !trigger.classList || !trigger.classList.contains("show-more")) { return; }
    var page = (trigger.getAttribute("href") || "").match(/[?&]page=(\d+)/);
    var first = page ? document.querySelector("[data-page-start='" + page[1] + "'] a") : null;
    if (first) { first.focus(); }
  });

  // After a filter change the results may be out of sight (on a phone, below the form): move focus
  // and scroll to the results heading, which reads the view and its count, e.g. "Proposals Russia
  // rejects (3)". The side-and-position question always does; typing in the search box keeps focus.
  document.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail ? event.detail.requestConfig : null;
    var form = config ? config.elt : null;
    if (!form || !form.matches || !form.matches("#filters, #stand-form")) { return; }
    var cause = config.triggeringEvent;
    if (cause && cause.type === "input") { return; }
    var narrow = window.matchMedia("(max-width: 48rem)").matches;
    var heading = document.getElementById("results-heading");
    if (!heading || (form.id !== "stand-form" && !narrow)) { return; }
    heading.focus({ preventScroll: true });
    heading.scrollIntoView({ block: "start" });
  });

  // Back and Forward fetch the whole page (htmx keeps no history cache). Two quick presses send two
  // requests, and htmx swaps in whichever answers last: end the older one, so the page always shows
  // the view of the address in the bar.
  var pendingRestore = null;
  document.addEventListener("htmx:historyCacheMiss", function (event) {
    var request = event.detail.xhr;
    if (pendingRestore && pendingRestore !== request) { pendingRestore.abort(); }
    pendingRestore = request;
    request.addEventListener("loadend", function () {
      if (pendingRestore === request) { pendingRestore = null; }
    });
  });

  // htmx:load fires for content htmx swaps in; htmx:historyRestore after back/forward.
  document.addEventListener("htmx:load", reveal);
  document.addEventListener("htmx:historyRestore", reveal);
})();
