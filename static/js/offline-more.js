// Tadrib offline (docs/offline.md), loaded by offline.js where needed: "Available offline" on
// a course page, the storage on "My learning", quiz answers kept on the device and a
// submission made offline queued.
(function () {
  "use strict";
  var T = window.TadribOffline;
  if (!T) {
    return;
  }
  var language = T.language;
  var strings = T.strings;
  var fill = T.fill;
  var size = T.size;
  var ask = T.ask;
  var notice = T.notice;
  var ready = T.ready;
  var queue = T.queue;

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
