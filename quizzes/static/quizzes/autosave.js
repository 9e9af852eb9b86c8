// Progressive enhancement for the attempt form: save answers as the learner gives them, so a
// reload or a dropped connection loses nothing, and keep "answered n of N" and the question
// list up to date. Without JavaScript, "Save answers" (and every button) saves, and the page
// the server sends back shows where the learner stands.
(function () {
  "use strict";
  var form = document.querySelector("form.quiz-form");
  if (!form) {
    return;
  }
  var status = document.getElementById("autosave-status");
  var timer = null;

  function say(key) {
    var message = document.getElementById("autosave-" + key);
    if (status && message) {
      status.textContent = message.content.textContent;
    }
  }

  function answered(fieldset) {
    if (fieldset.querySelector("input:checked")) {
      return true;
    }
    var selects = fieldset.querySelectorAll("select");
    for (var i = 0; i < selects.length; i++) {
      if (selects[i].value !== "") {
        return true;
      }
    }
    return false;
  }

  function mark(fieldset) {
    var item = document.getElementById(fieldset.id.replace("question-", "outline-"));
    if (!item) {
      return;
    }
    item.classList.toggle("is-answered", answered(fieldset));
    var count = form.querySelector(".quiz-outline__answered");
    if (count) {
      count.textContent = String(form.querySelectorAll(".quiz-outline__item.is-answered").length);
    }
  }

  function save() {
    var data = new FormData(form);
    data.set("action", "save");
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Tadrib-Autosave": "1" },
      redirect: "manual",
    }).then(
      function (response) {
        say(response.status === 204 ? "saved" : "failed");
      },
      function () {
        say("failed");
      }
    );
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest && event.target.closest("fieldset.quiz-question");
    if (fieldset) {
      mark(fieldset);
    }
    if (window.fetch && window.FormData) {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 600);
    }
  });
})();
