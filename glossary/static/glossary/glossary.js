/* On every page with glossary links: they are announced as buttons opening a dialog, and the
   dialog's code (popover.js, 1 KB) is fetched on the first one a reader opens, which it then
   opens; until then, and without JavaScript, a link leads to its note after the text
   (docs/glossary-and-search.md). */
(function () {
  "use strict";
  var script = document.currentScript;
  var links = document.querySelectorAll("a.glossary-link");
  if (!document.body.closest || !links.length) {
    return;
  }
  links.forEach(function (link) {
    link.setAttribute("role", "button");
    link.setAttribute("aria-haspopup", "dialog");
    link.setAttribute("aria-expanded", "false");
    link.setAttribute("aria-controls", "glossary-popover");
  });
  function first(event) {
    var link = event.target.closest("a.glossary-link");
    if (!link || (event.type === "keydown" && event.key !== " ")) {
      return;
    }
    event.preventDefault();
    document.removeEventListener("click", first);
    document.removeEventListener("keydown", first);
    var tag = document.createElement("script");
    tag.src = script.getAttribute("data-popover");
    tag.setAttribute("data-close", script.getAttribute("data-close"));
    tag.onload = function () {
      link.click();
    };
    tag.onerror = function () {
      window.location.hash = link.hash; // offline, not kept: the note after the text
    };
    document.head.appendChild(tag);
  }
  document.addEventListener("click", first);
  document.addEventListener("keydown", first);
})();
