// The job page: while the job is queued or running, ask for its state every two seconds and
// update the status, the bar and the text; show the error or the download link when it ends.
// Without this script the page's "Muat ulang" link does the same.
(function () {
  var section = document.getElementById("pekerjaan");
  if (!section) {
    return;
  }
  var url = section.getAttribute("data-status-url");
  var ended = function (status) {
    return status === "finished" || status === "failed";
  };

  function show(job) {
    var bar = document.getElementById("bilah-pekerjaan");
    var total = job.total > 0 ? job.total : 1;
    var value = job.total > 0 ? job.progress : job.status === "finished" ? 1 : 0;
    bar.max = total;
    bar.value = value;
    document.getElementById("status-pekerjaan").textContent = job.status_label;
    document.getElementById("kemajuan-pekerjaan").textContent =
      job.progress + " dari " + job.total;
    section.setAttribute("data-status", job.status);
    var error = document.getElementById("galat-pekerjaan");
    error.textContent = job.error || "";
    error.hidden = !job.error;
    var result = document.getElementById("hasil-pekerjaan");
    if (job.result_url) {
      result.querySelector("a").href = job.result_url;
    }
    result.hidden = !job.result_url;
    document.getElementById("muat-ulang").hidden = ended(job.status);
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (job) {
        show(job);
        if (!ended(job.status)) {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  if (!ended(section.getAttribute("data-status"))) {
    window.setTimeout(poll, 1000);
  }
})();
