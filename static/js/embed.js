// Truce Explorer embeds: tell the host page our height, so its resize snippet can fit the iframe.
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var last = -1;
  function post() {
    // The <html> box is as tall as the content (nothing here sets a height on it).
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) { return; }
    last = height;
    window.parent.postMessage({ type: "truce-explorer:height", height: height }, "*");
  }
  window.addEventListener("load", post);
  window.addEventListener("resize", post);
  if (window.ResizeObserver) { new ResizeObserver(post).observe(document.documentElement); }
})();
