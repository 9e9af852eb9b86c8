// Tadrib offline (docs/offline.md), on every page: registers the service worker on signed-in
// pages, shows the offline banner, sends the queue and shows what came back, and purges the
// learner's stores before signing out. The worker (static/js/sw.js) holds the data; the course
// page's "Available offline", My learning's storage and quiz attempts are in offline-more.js.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.fetch || !window.Promise) {
    return;
  }
  var script = document.currentScript;
  var root = document.documentElement;
  var language = root.lang || "en";
  var signOut = document.querySelector('form[action$="/account/sign-out/"]');
  var offlinePage = document.body.classList.contains("offline-page");
  var stringsPromise = null;

  function strings() {
    if (!stringsPromise) {
      stringsPromise = fetch("/" + language + "/offline/strings.json", {
        credentials: "same-origin",
      })
        .then(function (r) {
          return r.ok ? r.json() : {};
        })
        .catch(function () {
          return {};
        });
    }
    return stringsPromise;
  }

  function fill(text, values) {
    return String(text || "").replace(/\{(\w+)\}/g, function (_m, name) {
      return values[name] === undefined ? "" : values[name];
    });
  }

  function size(bytes) {
    var megabytes = bytes / 1e6;
    try {
      return new Intl.NumberFormat(language, {
        style: "unit",
        unit: megabytes < 1 ? "kilobyte" : "megabyte",
        maximumFractionDigits: 1,
      }).format(megabytes < 1 ? Math.max(1, Math.round(bytes / 1e3)) : megabytes);
    } catch (e) {
      return megabytes.toFixed(1) + " MB";
    }
  }

  function clock(iso) {
    if (!iso) {
      return "";
    }
    return new Date(iso).toLocaleTimeString(language, { hour: "2-digit", minute: "2-digit" });
  }

  // One request to the worker, answered through a message channel.
  function ask(message, timeout) {
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve, reject) {
        var channel = new MessageChannel();
        var timer = timeout
          ? setTimeout(function () {
              reject(new Error("timeout"));
            }, timeout)
          : null;
        channel.port1.onmessage = function (event) {
          clearTimeout(timer);
          if (event.data.ok) {
            resolve(event.data.result);
          } else {
            reject(new Error(event.data.error));
          }
        };
        registration.active.postMessage(message, [channel.port2]);
      });
    });
  }

  function csrf(form) {
    var input = (form || document).querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  var main = document.getElementById("main") || document.body;

  function notice(text, className) {
    var box = document.createElement("p");
    box.className = "message offline-notice " + (className || "");
    box.setAttribute("role", "status");
    box.textContent = text;
    main.insertBefore(box, main.firstChild);
    return box;
  }

  // --- The offline banner ----------------------------------------------------------------

  var banner = null;

  function showBanner() {
    if (offlinePage) {
      return;
    }
    strings().then(function (t) {
      if (navigator.onLine || banner) {
        return;
      }
      banner = document.createElement("div");
      banner.className = "offline-banner";
      banner.setAttribute("role", "status");
      banner.textContent = signOut ? t.offlineKept : t.offline;
      document.body.insertBefore(banner, document.body.firstChild);
    });
  }

  window.addEventListener("offline", showBanner);
  window.addEventListener("online", function () {
    if (banner) {
      banner.remove();
      banner = null;
    }
    if (signOut) {
      sendQueue();
    }
  });
  if (!navigator.onLine) {
    showBanner();
  }

  // --- Anonymous pages: nothing of anyone is kept --------------------------------------

  if (!signOut) {
    if (offlinePage) {
      listKept();
    } else if (navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "signed-out" });
    }
    return;
  }

  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});

  // Who this browser's stores belong to, and whether content changed since.
  var ready = (navigator.onLine
    ? fetch("/offline/state.json", { credentials: "same-origin" })
        .then(function (r) {
          return r.ok ? r.json() : null;
        })
        .then(function (state) {
          return state ? ask({
                type: "user",
                partition: state.partition,
                generation: state.generation,
                language: language,
              }) : null;
        })
    : Promise.resolve()
  ).catch(function () {});

  // --- The queue: sent when back, outcomes shown -------------------------------------------

  var shown = {};

  function showOutcomes(outcomes) {
    // Asked twice at once (the worker's message and the page's own send): each shown once.
    outcomes = (outcomes || []).filter(function (o) {
      var fresh = !shown[o.id];
      shown[o.id] = true;
      return fresh;
    });
    if (!outcomes.length) {
      return;
    }
    strings().then(function (t) {
      var completions = 0;
      outcomes.forEach(function (o) {
        if (o.status === "refused") {
          notice(t.refused, "message--error");
        } else if (o.kind === "quiz-submit") {
          var box = notice(
            fill(t[o.verdict] || t.untimed, {
              submitted: clock(o.submitted_at),
              received: clock(o.received_at),
            })
          );
          box.appendChild(document.createTextNode(" "));
          var link = document.createElement("a");
          link.href = o.result_url;
          link.textContent = t.result;
          box.appendChild(link);
        } else {
          completions += 1;
        }
      });
      if (completions) {
        notice(t.received);
      }
    });
  }

  function takeOutcomes() {
    return ask({ type: "outcomes" }).then(showOutcomes).catch(function () {});
  }

  // Send what is queued; when the link is not back yet, try again a few times.
  function sendQueue(tries) {
    return ready
      .then(function () {
        return ask({ type: "flush", csrf: csrf() });
      })
      .then(function (results) {
        if (results === null && (tries || 0) < 5) {
          setTimeout(function () {
            sendQueue((tries || 0) + 1);
          }, 2000);
        }
        return takeOutcomes();
      })
      .catch(function () {});
  }

  // The worker sent the queue on its own (Background Sync, another tab): show what came back.
  navigator.serviceWorker.addEventListener("message", function (event) {
    if (event.data && event.data.type === "outcomes") {
      takeOutcomes();
    }
  });

  if (navigator.onLine) {
    sendQueue();
  }

  function queue(payload, form) {
    payload.id = uuid();
    payload.at = new Date().toISOString();
    return ask({ type: "queue", csrf: csrf(form), payload: payload });
  }

  // --- "Mark as complete" queued by the worker (static/js/sw.js) ------------------------

  ready
    .then(function () {
      return ask({ type: "announce" });
    })
    .then(function (queued) {
      if (queued && queued.length) {
        strings().then(function (t) {
          notice(t.queuedComplete, "offline-queued");
        });
      }
    })
    .catch(function () {});

  // Course page, My learning and quiz attempts: the rest, loaded only where it is needed.
  window.TadribOffline = {
    language: language,
    strings: strings,
    fill: fill,
    size: size,
    ask: ask,
    csrf: csrf,
    notice: notice,
    ready: ready,
    queue: queue,
  };
  // Its hashed address, from a meta element (the attempt page carries no data- attributes).
  var moreMeta = document.querySelector('meta[name="tadrib-offline-more"]');
  var more = moreMeta && moreMeta.getAttribute("content");
  if (more && document.querySelector("[data-offline-course], [data-offline-storage], form.quiz-form")) {
    var tag = document.createElement("script");
    tag.src = more;
    document.head.appendChild(tag);
  }

  // --- Signing out: send what is queued, then purge this learner's stores -----------------

  signOut.addEventListener("submit", function (event) {
    if (signOut.dataset.purged) {
      return;
    }
    event.preventDefault();
    var done = function () {
      signOut.dataset.purged = "1";
      signOut.submit();
    };
    var send = navigator.onLine ? ask({ type: "flush", csrf: csrf(signOut) }, 3000) : Promise.resolve();
    send
      .catch(function () {})
      .then(function () {
        return ask({ type: "signed-out" }, 2000);
      })
      .then(done, done);
  });

  // --- The offline page: which courses are kept ------------------------------------------

  function listKept() {
    var box = document.querySelector("[data-offline-kept]");
    if (!box || !navigator.serviceWorker.controller) {
      return;
    }
    ask({ type: "status" }, 2000)
      .then(function (status) {
        var courses = (status.courses || []).filter(function (c) {
          return c.language === language;
        });
        if (!courses.length) {
          return;
        }
        var list = box.querySelector("ul");
        courses.forEach(function (c) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = c.pages[0];
          link.setAttribute("dir", "auto");
          link.textContent = c.title;
          item.appendChild(link);
          list.appendChild(item);
        });
        box.hidden = false;
      })
      .catch(function () {});
  }
})();
