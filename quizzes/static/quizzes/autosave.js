// Progressive enhancement for the attempt form: save answers as the learner gives them, so a
// reload or a dropped connection loses nothing. Without JavaScript, "Save answers" does it.
(function () {
  "use strict";
  var form = document.querySelector("form.quiz-form");
  if (!form || !window.fetch || !window.FormData) {
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

  form.addEventListener("change", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 600);
  });
})();
