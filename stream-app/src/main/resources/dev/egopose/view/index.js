'use strict';
// Refreshes the list of takes once a second from /api/takes. Text goes in as text, never as HTML.
(() => {
  const body = document.querySelector('#takes tbody');
  const totals = document.getElementById('totals');

  function cell(row, text, className) {
    const td = row.insertCell();
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  function render(list) {
    const t = list.totals;
    totals.textContent = t.takes + ' takes, ' + t.deadLetters + ' dead letters, ' + t.badRecords + ' records the view could not show';
    const rows = document.createElement('tbody');
    for (const take of list.takes) {
      const row = rows.insertRow();
      const link = document.createElement('a');
      link.href = '/take/' + encodeURIComponent(take.uid);
      link.textContent = take.name || take.uid;
      row.insertCell().appendChild(link);
      cell(row, take.uid, 'uid');
      cell(row, String(take.poses));
      cell(row, take.framesPerSecond.toFixed(1));
      cell(row, take.latencyMsP50.toFixed(0));
      cell(row, String(take.deadLetters));
      cell(row, String(take.lastFrame));
    }
    body.replaceChildren(...rows.rows);
  }

  async function refresh() {
    try {
      const answer = await fetch('/api/takes', { cache: 'no-store' });
      if (answer.ok) render(await answer.json());
    } catch (e) {
      // the view went away; try again next second
    }
  }
  setInterval(refresh, 1000);
})();
