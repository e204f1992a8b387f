// The log-a-complaint page: as the officer types the resident's name, email, phone or address, list the people
// already on record who match, and let the officer choose one ("This is the same person"), which puts their id in
// the hidden complainant_id field; the server checks it when the form is sent. Without this script the form works
// as before. Everything shown is set as text, never as HTML.
(function () {
  const form = document.getElementById('log-complaint');
  if (!form) return;
  const panel = document.getElementById('person-matches');
  const list = document.getElementById('person-match-list');
  const chosen = document.getElementById('person-chosen');
  const hidden = document.getElementById('complainant_id');
  const carryOn = document.getElementById('person-new');
  const fields = ['complainant_name', 'complainant_email', 'complainant_phone', 'complainant_address'];
  const MIN_CHARS = 3;
  let pending, inFlight, shown = [];

  function typed() {
    const values = {};
    fields.forEach((name) => { values[name] = (form.elements[name] || {}).value || ''; });
    return values;
  }

  function worthAsking(values) {
    // The server decides what is enough; this only spares it requests that cannot find anyone.
    return fields.some((name) => values[name].replace(/\s/g, '').length >= MIN_CHARS);
  }

  function text(tag, content, className) {
    const el = document.createElement(tag);
    el.textContent = content;
    if (className) el.className = className;
    return el;
  }

  function showChoice(person) {
    chosen.replaceChildren();
    if (person) {
      const note = text('span', '', 'chosen');
      note.append('This complaint will be added to the record of ', text('strong', person.name),
                  person.email ? ` (${person.email}).` : '.');
      chosen.append(note);
    }
    carryOn.hidden = !person;
    list.querySelectorAll('button[data-person]').forEach((button) => {
      button.setAttribute('aria-pressed', String(button.dataset.person === hidden.value));
    });
  }

  function choose(person) {
    hidden.value = String(person.id);
    hidden.removeAttribute('aria-invalid');
    const error = document.getElementById('complainant_id-error');
    if (error) error.remove();
    showChoice(person);
  }

  function item(person) {
    const li = document.createElement('li');
    li.append(text('span', person.name, 'who'));
    const contact = [person.email, person.phone, person.postcode].filter(Boolean).join(' · ');
    if (contact) li.append(' — ', contact);
    const details = document.createElement('div');
    details.append(`${person.open_complaints} open complaint${person.open_complaints === 1 ? '' : 's'} `);
    // The same flags as the inbox: a restriction in force, and reasonable adjustments.
    if (person.restrictions.length) {
      details.append(text('span', `Contact restricted: ${person.restrictions.join('; ')}`, 'badge flag-restricted'), ' ');
    }
    if (person.adjustments.length) {
      details.append(text('span', `Adjustments: ${person.adjustments.join('; ')}`, 'badge flag-adjustments'));
    }
    li.append(details);
    if (person.reasons.length) li.append(text('div', `Why: ${person.reasons.join(', ')}`, 'why'));
    const button = text('button', 'This is the same person');
    button.type = 'button';
    button.dataset.person = String(person.id);
    button.setAttribute('aria-label', `This is the same person: ${person.name}${person.email ? ', ' + person.email : ''}`);
    button.setAttribute('aria-pressed', String(hidden.value === String(person.id)));
    button.addEventListener('click', () => choose(person));
    li.append(button);
    return li;
  }

  function render(matches, enough) {
    shown = matches;
    list.replaceChildren();
    if (matches.length) {
      matches.forEach((person) => list.append(item(person)));
    } else if (enough) {
      list.append(text('li', 'No one on record matches what you have typed.'));
    }
    panel.hidden = !(matches.length || enough || hidden.value);
  }

  async function lookUp() {
    const values = typed();
    if (!worthAsking(values)) { render([], false); return; }
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    try {
      const response = await fetch(`${form.dataset.matchesUrl}?${new URLSearchParams(values)}`, {
        credentials: 'same-origin', headers: { Accept: 'application/json' }, signal: inFlight.signal });
      if (!response.ok) return; // a refused or limited look-up leaves the form as it is: sending it still works
      const answer = await response.json();
      render(answer.matches, answer.enough);
    } catch (error) {
      if (error.name !== 'AbortError') throw error;
    }
  }

  carryOn.addEventListener('click', () => {
    hidden.value = '';
    showChoice(null);
    render(shown, true);
  });
  fields.forEach((name) => {
    const input = form.elements[name];
    if (input) input.addEventListener('input', () => { clearTimeout(pending); pending = setTimeout(lookUp, 300); });
  });
  if (worthAsking(typed())) lookUp(); // a form sent back with errors: show who matches what is still in it
})();
