/* Glossary links open their note as a dialog by the word (docs/glossary-and-search.md).
   Fetched by glossary.js when a reader first opens a term, which it then opens. */
(function () {
  "use strict";
  var closeLabel = document.currentScript.getAttribute("data-close");
  if (!document.body.closest) {
    return;
  }
  var popover = document.createElement("div");
  var opener = null;
  popover.className = "glossary-popover";
  popover.id = "glossary-popover";
  popover.setAttribute("role", "dialog");
  popover.setAttribute("aria-labelledby", "glossary-popover-title");
  popover.tabIndex = -1;
  popover.hidden = true;
  // The reader's language, whatever the language of the text it opens in.
  popover.lang = document.documentElement.lang;
  popover.dir = document.documentElement.dir;

  function close(returnFocus) {
    var link = opener;
    if (link) {
      opener = null;
      popover.hidden = true;
      link.setAttribute("aria-expanded", "false");
      if (returnFocus) {
        link.focus();
      }
    }
  }

  function place(link) {
    var viewport = document.documentElement.clientWidth;
    var width = Math.min(352, viewport - 16);
    var word = link.getBoundingClientRect();
    var rtl = window.getComputedStyle(link).direction === "rtl";
    var left = Math.max(8, Math.min(rtl ? word.right - width : word.left, viewport - width - 8));
    var base = (popover.offsetParent || document.body).getBoundingClientRect();
    popover.style.width = width + "px";
    popover.style.left = left - base.left + "px";
    popover.style.top = word.bottom - base.top + 6 + "px";
  }

  function open(link) {
    var note = document.getElementById(link.hash.slice(1));
    if (!note) {
      return false;
    }
    close(false);
    // A note from the list after the text, or a glossary box in it (a <dl> of its own).
    var entry = note.cloneNode(true);
    var list = entry.tagName === "DL" ? entry : document.createElement("dl");
    var button = document.createElement("button");
    entry.removeAttribute("id");
    entry.removeAttribute("class");
    entry.querySelector("dt").id = "glossary-popover-title";
    if (list !== entry) {
      list.appendChild(entry);
    }
    button.type = "button";
    button.className = "glossary-popover__close link-button";
    button.textContent = closeLabel;
    button.addEventListener("click", function () {
      close(true);
    });
    popover.textContent = "";
    popover.appendChild(list);
    popover.appendChild(button);
    // Right after the word: reading and Tab go on from the dialog into the text.
    link.parentNode.insertBefore(popover, link.nextSibling);
    popover.hidden = false;
    place(link);
    opener = link;
    link.setAttribute("aria-expanded", "true");
    popover.focus();
    return true;
  }

  document.querySelectorAll("a.glossary-link").forEach(function (link) {
    link.setAttribute("role", "button");
    link.setAttribute("aria-haspopup", "dialog");
    link.setAttribute("aria-expanded", "false");
    link.setAttribute("aria-controls", popover.id);
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.glossary-link");
    if (link) {
      event.preventDefault();
      if (link === opener || !open(link)) {
        close(true);
      }
    } else if (opener && !popover.contains(event.target)) {
      close(false);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && opener) {
      event.preventDefault();
      close(true);
    } else if (event.key === " " && event.target.matches("a.glossary-link")) {
      event.preventDefault(); // a button opens with Space too
      event.target.click();
    }
  });
  popover.addEventListener("focusout", function (event) {
    var next = event.relatedTarget;
    if (next && next !== opener && !popover.contains(next)) {
      close(false);
    }
  });
  // Phones resize the window as their address bar comes and goes: follow the word.
  window.addEventListener("resize", function () {
    if (opener) {
      place(opener);
    }
  });
})();
