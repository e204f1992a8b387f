// The form editor: add field rows, and show a live preview rendered by the server exactly as staff will see it.
(function () {
  const form = document.getElementById('form-definition');
  const rows = document.getElementById('field-rows');
  const preview = document.getElementById('form-preview');
  const csrf = form.querySelector('input[name=csrf_token]').value;

  function definition() {
    const fields = [];
    rows.querySelectorAll('.field-row').forEach((row) => {
      const i = row.dataset.index;
      const value = (key) => (form.elements[`field-${i}-${key}`] || {}).value || '';
      if (!value('name').trim() && !value('label').trim()) return;
      const field = { name: value('name').trim(), label: value('label').trim(), kind: value('kind'),
                      help: value('help').trim(), required: form.elements[`field-${i}-required`].checked };
      if (field.kind === 'choice') field.choices = value('choices').split('\n').map((c) => c.trim()).filter(Boolean);
      fields.push(field);
    });
    return { name: form.elements.name.value.trim() || 'preview', title: form.elements.title.value, fields };
  }

  let pending;
  function refresh() {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      const response = await fetch(preview.dataset.url, {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf },
        body: JSON.stringify(definition()) });
      preview.innerHTML = await response.text();
    }, 250);
  }

  document.getElementById('add-field').addEventListener('click', () => {
    const last = rows.querySelector('.field-row:last-child');
    const index = Number(last.dataset.index) + 1;
    const copy = last.cloneNode(true);
    copy.dataset.index = index;
    copy.querySelector('legend').textContent = `Field ${index + 1}`;
    copy.querySelectorAll('[name], [id], label[for]').forEach((el) => {
      for (const attr of ['name', 'id', 'for']) {
        if (el.hasAttribute(attr)) el.setAttribute(attr, el.getAttribute(attr).replace(/field-\d+-/, `field-${index}-`));
      }
      if (el.type === 'checkbox') el.checked = false; else if ('value' in el && el.tagName !== 'SELECT') el.value = '';
    });
    copy.querySelectorAll('.error').forEach((el) => el.remove());
    rows.appendChild(copy);
  });
  form.addEventListener('input', refresh);
  form.addEventListener('change', refresh);
})();
