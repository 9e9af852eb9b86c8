// Tadrib offline (docs/offline.md), the part loaded by offline.js only where it has work: the
// offline banner, sending the queue and showing what came back, "Available offline" on a
// course page, the storage on "My learning", quiz answers kept on the device and a submission
// made offline queued, and the offline page's list of kept courses. offline.js has registered
// the worker and told it whose stores are current (`TadribOffline.ready`).
(function () {
  "use strict";
  var T = window.TadribOffline;
  if (!T || T.loaded) {
    return;
  }
  T.loaded = true;
  var language = document.documentElement.lang || "en";
  var signedIn = T.signedIn;
  var offlinePage = !!document.querySelector("[data-offline-kept]");
  var ask = T.ask;
  var csrf = T.csrf;
  var ready = T.ready || Promise.resolve();
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
      banner.textContent = signedIn ? t.offlineKept : t.offline;
      document.body.insertBefore(banner, document.body.firstChild);
    });
  }

  window.addEventListener("offline", showBanner);
  window.addEventListener("online", function () {
    if (banner) {
      banner.remove();
      banner = null;
    }
    if (signedIn) {
      sendQueue();
    }
  });
  if (!navigator.onLine) {
    showBanner();
  }

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

  if (!signedIn) {
    if (offlinePage) {
      listKept();
    }
    return;
  }

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

  // --- Quizzes: answers kept on the device, a submission made offline queued ---------------

  var quiz = document.querySelector("form.quiz-form");
  var attemptMatch = window.location.pathname.match(/\/quizzes\/attempts\/(\d+)\/$/);
  if (quiz && attemptMatch) {
    var attempt = parseInt(attemptMatch[1], 10);
    var fields = function () {
      var pairs = [];
      new FormData(quiz).forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken" && name !== "action" && typeof value === "string") {
          pairs.push([name, value]);
        }
      });
      return pairs;
    };
    ready.then(function () {
      return ask({ type: "answers-load", attempt: attempt }).then(function (saved) {
        if (!saved || !saved.fields) {
          return;
        }
        // The device's copy is the newest this learner gave here (autosave may have failed).
        var names = {};
        saved.fields.forEach(function (pair) {
          names[pair[0]] = names[pair[0]] || [];
          names[pair[0]].push(pair[1]);
        });
        Object.keys(names).forEach(function (name) {
          quiz.querySelectorAll('[name="' + name.replace(/"/g, "") + '"]').forEach(function (input) {
            if (input.type === "radio" || input.type === "checkbox") {
              input.checked = names[name].indexOf(input.value) !== -1;
            } else {
              input.value = names[name][0];
            }
          });
        });
      });
    }).catch(function () {});
    quiz.addEventListener("change", function () {
      ask({ type: "answers-save", attempt: attempt, fields: fields() }).catch(function () {});
      if (!navigator.onLine) {
        strings().then(function (t) {
          var status = document.getElementById("autosave-status");
          if (status) {
            status.textContent = t.answersKept;
          }
        });
      }
    });
    quiz.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (navigator.onLine || !submitter || submitter.value !== "submit") {
        return;
      }
      event.preventDefault();
      var page = new URLSearchParams(window.location.search).get("page");
      queue(
        { kind: "quiz-submit", attempt: attempt, page: page ? parseInt(page, 10) : null, fields: fields() },
        quiz
      ).then(function () {
        strings().then(function (t) {
          quiz.querySelectorAll("button, input, select").forEach(function (input) {
            input.disabled = true;
          });
          notice(t.queuedSubmit).scrollIntoView();
        });
      });
    });
  }

  // --- "Available offline" on a course page ----------------------------------------------

  function keptRecords() {
    return ready.then(function () {
      return ask({ type: "status" });
    });
  }

  var courseBox = document.querySelector("[data-offline-course]");
  if (courseBox) {
    var courseId = parseInt(courseBox.getAttribute("data-offline-course"), 10);
    var bundleUrl = "/" + language + "/offline/courses/" + courseId + ".json";
    var key = null;
    var drawCourse = function () {
      Promise.all([strings(), keptRecords()]).then(function (both) {
        var t = both[0];
        var kept = (both[1].courses || []).filter(function (c) {
          return c.course === courseId && c.language === language;
        })[0];
        courseBox.textContent = "";
        var title = document.createElement("h3");
        title.textContent = t.keepTitle;
        courseBox.appendChild(title);
        var line = document.createElement("p");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button button--secondary";
        if (kept) {
          key = kept.key;
          line.textContent = fill(t.kept, { size: size(kept.bytes) });
          button.textContent = t.remove;
          button.addEventListener("click", function () {
            ask({ type: "remove", key: key }).then(drawCourse);
          });
          courseBox.appendChild(line);
          courseBox.appendChild(button);
          courseBox.hidden = false;
          return;
        }
        if (!navigator.onLine) {
          return;
        }
        fetch(bundleUrl, { credentials: "same-origin" })
          .then(function (r) {
            return r.json();
          })
          .then(function (bundle) {
            button.textContent = fill(t.keep, { size: size(bundle.bytes) });
            button.addEventListener("click", function () {
              button.disabled = true;
              line.textContent = t.keeping;
              ask({ type: "keep", bundleUrl: bundleUrl }).then(drawCourse, function () {
                button.disabled = false;
                line.textContent = t.keepFailed;
              });
            });
            courseBox.appendChild(line);
            courseBox.appendChild(button);
            courseBox.hidden = false;
          })
          .catch(function () {});
      });
    };
    drawCourse();
  }

  // --- Storage on "My learning" ----------------------------------------------------------

  var storageBox = document.querySelector("[data-offline-storage]");
  if (storageBox) {
    var drawStorage = function () {
      Promise.all([strings(), keptRecords()]).then(function (both) {
        var t = both[0];
        var courses = both[1].courses || [];
        storageBox.textContent = "";
        var title = document.createElement("h2");
        title.textContent = t.storageTitle;
        storageBox.appendChild(title);
        var line = document.createElement("p");
        storageBox.appendChild(line);
        storageBox.hidden = false;
        if (!courses.length) {
          line.textContent = t.storageNone;
          return;
        }
        var bytes = courses.reduce(function (sum, c) {
          return sum + (c.bytes || 0);
        }, 0);
        line.textContent = fill(t.storageUse, { size: size(bytes) });
        var list = document.createElement("ul");
        courses.forEach(function (c) {
          var item = document.createElement("li");
          item.setAttribute("dir", "auto");
          item.textContent = c.title + " — " + size(c.bytes);
          list.appendChild(item);
        });
        storageBox.appendChild(list);
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button button--secondary";
        button.textContent = t.storageFree;
        button.addEventListener("click", function () {
          ask({ type: "remove-all" }).then(drawStorage);
        });
        storageBox.appendChild(button);
      });
    };
    drawStorage();
  }
})();
