// The process modeler: bpmn-js (served by the app from node_modules) with a properties panel for what our
// diagrams need — the lane (role) and form of a user task, timer expressions, conditions, scripts and service
// task operators — stored as the BPMN and spiffworkflow: extension elements SpiffWorkflow reads.
// Saving sends the XML to the server, which checks it; each problem is listed and highlighted on the canvas.
(function () {
  'use strict';

  const SPIFF = {
    name: 'SpiffWorkflow', uri: 'http://spiffworkflow.org/bpmn/schema/1.0/core', prefix: 'spiffworkflow',
    xml: { tagAlias: 'lowerCase' },
    types: [
      { name: 'Properties', superClass: ['Element'],
        properties: [{ name: 'properties', type: 'Property', isMany: true }] },
      { name: 'Property', superClass: ['Element'],
        properties: [{ name: 'name', isAttr: true, type: 'String' }, { name: 'value', isAttr: true, type: 'String' }] },
      { name: 'ServiceTaskOperator', superClass: ['Element'],
        properties: [{ name: 'id', isAttr: true, type: 'String' },
                     { name: 'resultVariable', isAttr: true, type: 'String' }] },
      { name: 'PreScript', superClass: ['Element'], properties: [{ name: 'value', isBody: true, type: 'String' }] },
      { name: 'PostScript', superClass: ['Element'], properties: [{ name: 'value', isBody: true, type: 'String' }] },
    ],
  };

  const app = document.getElementById('modeler-app');
  const panelBody = document.getElementById('panel-body');
  const status = document.getElementById('status');
  const problemsBox = document.getElementById('problems');
  const data = JSON.parse(document.getElementById('panel-data').textContent);
  const mayEdit = app.dataset.mayEdit === 'yes';

  const modeler = new window.BpmnJS({ container: '#canvas', moddleExtensions: { spiffworkflow: SPIFF },
                                      additionalModules: [window.DiagramJSMinimap] });
  window.modeler = modeler; // for the browser test and the curious
  const modeling = modeler.get('modeling');
  const moddle = modeler.get('moddle');
  const canvas = modeler.get('canvas');
  const registry = modeler.get('elementRegistry');
  const overlays = modeler.get('overlays');

  // --- small DOM helpers -------------------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => {
      if (key === 'on') Object.entries(value).forEach(([event, fn]) => node.addEventListener(event, fn));
      else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value);
    });
    children.flat().forEach((child) => node.append(child instanceof Node ? child : document.createTextNode(child)));
    return node;
  }

  function labelled(id, text, control, hint) {
    return [el('label', { for: id }, text), control, hint ? el('span', { class: 'hint' }, hint) : ''];
  }

  function inserts(target, snippets, title) {
    if (!snippets.length) return '';
    return el('details', {}, el('summary', {}, title),
      snippets.map((snippet) => el('button', { type: 'button', class: 'insert', on: { click: () => {
        const area = document.getElementById(target);
        const at = area.selectionStart ?? area.value.length;
        area.value = area.value.slice(0, at) + snippet + area.value.slice(area.selectionEnd ?? at);
        area.dispatchEvent(new Event('change'));
      } } }, snippet)));
  }

  // --- reading and writing our properties ----------------------------------------------------------------
  panelBody.addEventListener('focusin', (event) => {
    if (event.target.id === 'prop-form') refreshForms(event.target);
  });

  // An element's lanes are those of the process or sub-process it sits in.
  function lanes(bo) {
    return ((bo.$parent && bo.$parent.laneSets) || []).flatMap((set) => set.lanes || []);
  }

  function laneOf(bo) {
    return lanes(bo).find((lane) => (lane.flowNodeRef || []).includes(bo));
  }

  function setLane(element, laneName) {
    // Lanes are roles, drawn on the canvas: choosing one here moves the element into it, as dragging would.
    const bo = element.businessObject;
    const target = lanes(bo).find((candidate) => candidate.name === laneName);
    const shape = target && registry.get(target.id);
    if (shape) {
      const middle = shape.y + shape.height / 2 - (element.y + element.height / 2);
      modeling.moveShape(element, { x: 0, y: middle });
      return;
    }
    // A diagram without drawn lanes keeps membership on the lanes themselves.
    lanes(bo).forEach((lane) => {
      lane.flowNodeRef = (lane.flowNodeRef || []).filter((ref) => ref !== bo);
    });
    if (!laneName) return;
    let lane = target;
    if (!lane) {
      const container = bo.$parent;
      let set = (container.laneSets || [])[0];
      if (!set) {
        set = moddle.create('bpmn:LaneSet', { id: `${container.id}_roles`, lanes: [] });
        set.$parent = container;
        container.laneSets = [set];
      }
      lane = moddle.create('bpmn:Lane', { id: `${container.id}_lane_${laneName}`, name: laneName, flowNodeRef: [] });
      lane.$parent = set;
      set.lanes.push(lane);
    }
    lane.flowNodeRef.push(bo);
    modeling.updateProperties(element, {}); // marks the diagram changed (and refreshes the panel)
  }

  function extension(bo, type) {
    return ((bo.extensionElements && bo.extensionElements.values) || []).find((value) => value.$type === type);
  }

  function properties(bo) {
    const holder = extension(bo, 'spiffworkflow:Properties');
    return holder ? holder.properties || [] : [];
  }

  function property(bo, name) {
    const found = properties(bo).find((p) => p.name === name);
    return found ? found.value : '';
  }

  function ensureExtension(element, type, attrs) {
    const bo = element.businessObject;
    let container = bo.extensionElements;
    if (!container) {
      container = moddle.create('bpmn:ExtensionElements', { values: [] });
      modeling.updateProperties(element, { extensionElements: container });
    }
    let found = extension(bo, type);
    if (!found) {
      found = moddle.create(type, attrs || {});
      found.$parent = container;
      modeling.updateModdleProperties(element, container, { values: [...(container.values || []), found] });
    }
    return found;
  }

  function setProperty(element, name, value) {
    const holder = ensureExtension(element, 'spiffworkflow:Properties', { properties: [] });
    const existing = (holder.properties || []).find((p) => p.name === name);
    if (existing && !value) {
      modeling.updateModdleProperties(element, holder, { properties: holder.properties.filter((p) => p !== existing) });
    } else if (existing) {
      modeling.updateModdleProperties(element, existing, { value });
    } else if (value) {
      const created = moddle.create('spiffworkflow:Property', { name, value });
      created.$parent = holder;
      modeling.updateModdleProperties(element, holder, { properties: [...(holder.properties || []), created] });
    }
  }

  function formal(body) {
    return moddle.create('bpmn:FormalExpression', { body });
  }

  // --- the panel -------------------------------------------------------------------------------------------
  function field(id, text, value, onChange, options) {
    const opts = options || {};
    let control;
    if (opts.choices) {
      control = el('select', { id, disabled: !mayEdit },
        opts.choices.map(([v, label]) => el('option', { value: v, selected: v === value }, label)));
    } else if (opts.multiline) {
      control = el('textarea', { id, readonly: !mayEdit, spellcheck: 'false' });
      control.value = value || '';
    } else {
      control = el('input', { id, type: 'text', value: value || '', readonly: !mayEdit });
    }
    control.addEventListener('change', () => onChange(control.value));
    return labelled(id, text, control, opts.hint);
  }

  // Forms built in another tab while this diagram is open join the chooser when it is next used.
  async function refreshForms(select) {
    const response = await fetch(app.dataset.formsUrl, { headers: { Accept: 'application/json' } });
    if (!response.ok) return;
    const names = (await response.json()).map((form) => form.name);
    names.filter((name) => !data.forms.includes(name)).forEach((name) => {
      data.forms.push(name);
      select.append(el('option', { value: name }, name));
    });
  }

  function userTaskFields(element) {
    const bo = element.businessObject;
    const lane = laneOf(bo);
    const laneChoices = [['', '— no lane —'], ...Object.entries(data.lanes).map(([name, roles]) => [name,
      `${name} (worked by ${roles.map((role) => data.roles[role] || role).join(', ')})`])];
    // Only real forms are offered; a new task starts with none chosen, never with one that does not exist.
    const named = property(bo, 'form') || (data.forms.includes(bo.id) ? bo.id : '');
    const formChoices = [['', '— choose a form —'], ...data.forms.map((name) => [name, name])];
    if (named && !data.forms.includes(named)) formChoices.push([named, `${named} (does not exist: choose another)`]);
    return [
      field('prop-lane', 'Lane (the role that works it)', lane ? lane.name : '', (v) => setLane(element, v),
        { choices: laneChoices }),
      field('prop-form', 'Form', named, (v) => setProperty(element, 'form', v), { choices: formChoices }),
      el('span', { class: 'hint' }, el('a', { href: app.dataset.newFormUrl, target: '_blank' }, 'Build a new form'),
        ' (in a new tab): once saved, it is in this list, and the diagram here is kept.'),
      field('prop-stage', 'Stage (1 or 2, for the handler)', property(bo, 'stage'),
        (v) => setProperty(element, 'stage', v)),
      field('prop-deadline', 'Deadline it works to (e.g. stage1_response)', property(bo, 'deadline'),
        (v) => setProperty(element, 'deadline', v)),
    ];
  }

  function timerFields(element, definition) {
    const kind = ['timeDate', 'timeDuration', 'timeCycle'].find((k) => definition[k]) || 'timeDate';
    const current = definition[kind] ? definition[kind].body : '';
    const update = (newKind, body) => {
      const values = { timeDate: undefined, timeDuration: undefined, timeCycle: undefined };
      values[newKind] = formal(body);
      modeling.updateModdleProperties(element, definition, values);
    };
    return [
      field('prop-timer-kind', 'Timer', kind, (v) => update(v, document.getElementById('prop-timer').value),
        { choices: [['timeDate', 'at a date and time'], ['timeDuration', 'after a duration'],
          ['timeCycle', 'repeating']] }),
      field('prop-timer', 'Expression (Python)', current,
        (v) => update(document.getElementById('prop-timer-kind').value, v), { multiline: true,
          hint: 'Returns an ISO date-time with a time zone: use the working-day helpers.' }),
      inserts('prop-timer', data.helpers, 'Working-day helpers'),
      inserts('prop-timer', data.parameters, 'Profile parameters'),
    ];
  }

  function render(element) {
    panelBody.replaceChildren();
    if (!element) {
      panelBody.append(el('p', {}, 'Select an element.'));
      return;
    }
    const bo = element.businessObject;
    const parts = [el('p', {}, el('code', {}, bo.$type.replace('bpmn:', '')), ' ', el('code', { id: 'prop-id' }, bo.id)),
      field('prop-name', 'Name', bo.name, (v) => modeling.updateProperties(element, { name: v }))];
    if (bo.$type === 'bpmn:UserTask') parts.push(...userTaskFields(element));
    const timer = (bo.eventDefinitions || []).find((d) => d.$type === 'bpmn:TimerEventDefinition');
    if (timer) parts.push(...timerFields(element, timer));
    if (bo.$type === 'bpmn:SequenceFlow') {
      parts.push(field('prop-condition', 'Condition (Python, on the task data)',
        bo.conditionExpression ? bo.conditionExpression.body : '',
        (v) => modeling.updateProperties(element, { conditionExpression: v ? formal(v) : undefined }),
        { multiline: true, hint: 'e.g. triage_decision == "accept"' }), inserts('prop-condition', data.parameters,
        'Profile parameters'));
    }
    if (bo.$type === 'bpmn:ScriptTask') {
      parts.push(field('prop-script', 'Script (Python)', bo.script,
        (v) => modeling.updateProperties(element, { scriptFormat: 'python', script: v }), { multiline: true }),
      inserts('prop-script', [...data.helpers, ...data.parameters], 'Helpers and parameters'));
    }
    if (bo.$type === 'bpmn:ServiceTask') {
      const operator = extension(bo, 'spiffworkflow:ServiceTaskOperator');
      parts.push(field('prop-operator', 'Service operator', operator ? operator.id : '', (v) => {
        const target = ensureExtension(element, 'spiffworkflow:ServiceTaskOperator', {});
        modeling.updateModdleProperties(element, target, { id: v });
      }));
    }
    panelBody.append(...parts.flat());
  }

  let selected = null;
  modeler.on('selection.changed', ({ newSelection }) => {
    selected = newSelection.length === 1 ? newSelection[0] : null;
    render(selected);
  });
  modeler.on('element.changed', ({ element }) => {
    if (selected && element.id === selected.id && !panelBody.contains(document.activeElement)) render(selected);
  });

  // --- saving and showing problems ---------------------------------------------------------------------
  let marked = [];
  function clearProblems() {
    marked.forEach((id) => registry.get(id) && canvas.removeMarker(id, 'has-error'));
    marked = [];
    overlays.remove({ type: 'problem' });
    problemsBox.replaceChildren();
  }

  function markProblems(problems, list) {
    problems.forEach((problem) => {
      const where = [problem.element_id, problem.line ? `line ${problem.line}` : null].filter(Boolean).join(', ');
      const shape = problem.element_id && registry.get(problem.element_id);
      if (shape) {
        canvas.addMarker(shape.id, 'has-error');
        marked.push(shape.id);
        overlays.add(shape.id, 'problem', { position: { bottom: -4, left: 0 },
          html: el('div', { class: 'error-overlay', title: problem.message }, '!') });
      }
      list.append(el('li', { 'data-element-id': problem.element_id || '' },
        shape ? el('button', { type: 'button', on: { click: () => {
          modeler.get('selection').select(shape);
          canvas.scrollToElement(shape);
        } } }, where) : (where || 'diagram'), `: ${problem.message}`,
        problem.scenario ? el('div', { class: 'scenario' }, `Scenario: ${problem.scenario}`) : ''));
    });
  }

  function showProblems(problems) {
    const list = el('ul', { id: 'problem-list' });
    markProblems(problems, list);
    problemsBox.append(el('h2', {}, `${problems.length} problem${problems.length === 1 ? '' : 's'} — not saved`), list);
  }

  // A code finding (from running the draft's scenarios) in the shape showProblems takes: element, provision.
  function asProblem(finding) {
    const where = finding.where || '';
    const element = where.startsWith('bpmn:') ? where.slice(5) : null;
    return { element_id: element === 'process' ? null : element, scenario: finding.scenario,
             message: `${/^\d/.test(finding.section) ? `Code ${finding.section}: ` : ''}${finding.message}` };
  }

  function showSaved(draft) {
    const changes = Object.entries(draft.changes || {}).filter(([, ids]) => ids.length)
      .map(([kind, ids]) => `${kind}: ${ids.join(', ')}`).join('; ');
    const box = el('div', { class: 'saved', id: 'saved' },
      el('p', {}, `Saved as version ${draft.version} (${draft.state}). ${changes ? `Changes: ${changes}.` : ''}`));
    if ((draft.change_notes || []).length) {
      box.append(el('ul', { id: 'change-notes' }, draft.change_notes.map((note) => el('li', {}, note))));
    }
    // The page now shows the version just saved, in its heading and at the top of the version list.
    const heading = document.getElementById('version-heading');
    if (heading) heading.textContent = `version ${draft.version} · ${draft.state}`;
    const versions = document.getElementById('version-list');
    if (versions && !versions.querySelector(`[data-version="${draft.version}"]`)) {
      versions.querySelectorAll('li.current').forEach((item) => item.classList.remove('current'));
      const href = `${app.dataset.modelerUrl}?version=${draft.version}`;
      versions.prepend(el('li', { 'data-version': draft.version, class: 'current' },
        el('a', { href }, `Version ${draft.version}`), ` · ${draft.state} · ${draft.author || ''}`,
        draft.comment ? ` · ${draft.comment}` : ''));
    }
    const proof = draft.proof || {};
    box.append(el('p', { id: 'proof-summary' }, `Ran ${proof.paths || 0} scenario paths in ${proof.seconds || 0} s`
      + (proof.truncated ? ' (stopped early: not every path was run).' : '.')));
    const blocking = draft.code_findings || [];
    if (blocking.length) {
      const list = el('ul', { id: 'problem-list' });
      markProblems(blocking.map(asProblem), list);
      box.append(el('p', {}, `Saved as a draft, but it cannot be deployed: ${blocking.length} finding(s) the live `
        + 'version does not have.'), list);
    }
    const warnings = (proof.findings || []).filter((f) => f.severity === 'warning');
    if (warnings.length) {
      box.append(el('p', {}, 'Warnings (recorded on the version if deployed):'),
        el('ul', { id: 'warning-list' }, warnings.map((f) => el('li', {}, `${f.section}: ${f.message}`))));
    }
    if (draft.state !== 'live' && !blocking.length) {
      // Deploying is confirmed on its own page: what it changes, its warnings, the running instances.
      const href = app.dataset.deployUrl.replace('/versions/0/', `/versions/${draft.version}/`);
      box.append(el('p', {}, el('a', { id: 'deploy', class: 'button', href }, `Deploy version ${draft.version}…`)));
    }
    problemsBox.append(box);
  }

  // Someone saved a newer version since this page opened: say who and when, keep this diagram as it is, and
  // let the user open theirs or store this one on top of it knowingly.
  function showConflict(body) {
    const theirs = body.conflict.version;
    const link = `${app.dataset.modelerUrl}?version=${encodeURIComponent(theirs)}`;
    problemsBox.append(el('div', { class: 'conflict', id: 'edit-conflict', role: 'alert' },
      el('p', {}, `Not saved: ${body.errors[0].message}. Their version is ${theirs}; your diagram is still here.`),
      el('p', {}, el('a', { href: link, target: '_blank' }, `Open version ${theirs} in a new tab`), ' · ',
        el('button', { type: 'button', id: 'save-anyway', on: { click: () => {
          app.dataset.loadedVersion = theirs;
          save().catch((error) => { status.textContent = `Not saved: ${error.message}`; });
        } } }, `Save mine as a new version after ${theirs}`))));
  }

  // The save streams the scenario runner's progress ({"progress": [done, known]} lines), then its answer.
  async function readStreamed(response) {
    if (!(response.headers.get('Content-Type') || '').includes('ndjson')) {
      const body = await response.json().catch(() => ({ errors: [{ message: `the server answered ${response.status}` }] }));
      return { status: response.status, body };
    }
    const bar = el('progress', { id: 'proof-progress', max: 1, value: 0, 'aria-label': 'Scenarios run' });
    status.replaceChildren('Running the scenarios… ', bar);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    let final = { status: 500, body: { errors: [{ message: 'the server stopped before answering' }] } };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      const lines = buffered.split('\n');
      buffered = lines.pop();
      lines.filter(Boolean).map((line) => JSON.parse(line)).forEach((message) => {
        if (message.progress) {
          const [ran, known] = message.progress;
          bar.max = known;
          bar.value = ran;
          bar.textContent = `${ran} of ${known}`;
          status.replaceChildren(`Running the scenarios: ${ran} of ${known} paths `, bar);
        } else {
          final = message;
        }
      });
    }
    return final;
  }

  async function save() {
    clearProblems();
    status.textContent = 'Checking…';
    const { xml } = await modeler.saveXML({ format: true });
    const response = await fetch(app.dataset.saveUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': app.dataset.csrf, Accept: 'application/x-ndjson' },
      body: JSON.stringify({ xml, comment: (document.getElementById('comment') || {}).value || '',
                             loaded_version: app.dataset.loadedVersion }),
    });
    const { status: answered, body } = await readStreamed(response);
    if (answered === 201) {
      status.textContent = `Draft version ${body.version} saved.`;
      // This page's diagram is now the newest version: a later save builds on it.
      app.dataset.loadedVersion = String(Math.max(Number(app.dataset.loadedVersion), body.version));
      showSaved(body);
    } else if (answered === 409 && body.conflict) {
      status.textContent = 'Not saved: someone saved a newer version.';
      showConflict(body);
    } else {
      status.textContent = 'Not saved: see the problems below.';
      showProblems(body.errors || []);
    }
  }

  // The live view: on a live version, each element with instances waiting or tasks done this year shows how many
  // wait there now and the median days a task there took; the badge opens the list of who is waiting.
  async function showHeat() {
    if (!app.dataset.heatUrl) return;
    const response = await fetch(app.dataset.heatUrl, { headers: { Accept: 'application/json' } });
    if (!response.ok) return;
    const heat = await response.json();
    // What waits inside a collapsed sub-process also shows on the sub-process, on the plane above it.
    Object.entries({ ...heat }).forEach(([id, h]) => {
      let parent = registry.get(id) && registry.get(id).businessObject.$parent;
      while (parent && parent.$type === 'bpmn:SubProcess') {
        const total = heat[parent.id] || (heat[parent.id] = { waiting: 0, done: 0, median_days: null });
        total.waiting += h.waiting;
        parent = parent.$parent;
      }
    });
    const most = Math.max(1, ...Object.values(heat).map((h) => h.waiting));
    Object.entries(heat).forEach(([id, h]) => {
      const shape = registry.get(id);
      if (!shape || (!h.waiting && !h.done)) return;
      const text = [h.waiting ? `${h.waiting} waiting` : '', h.median_days !== null ? `median ${h.median_days} d` : '']
        .filter(Boolean).join(' · ');
      const badge = el('a', { class: 'heat', href: app.dataset.waitingUrl.replace('ELEMENT', encodeURIComponent(id)),
        title: `${h.waiting} waiting now; ${h.done} done in 12 months`,
        style: `background: rgba(200, 40, 40, ${0.25 + 0.75 * (h.waiting / most)})` }, text);
      overlays.add(id, 'heat', { position: { top: -22, left: 0 }, html: badge });
    });
  }

  // Zoom: a step in or out around the centre, or the whole diagram.
  const zoomBy = (factor) => canvas.zoom(canvas.zoom() * factor);
  document.getElementById('zoom-in').addEventListener('click', () => zoomBy(1.25));
  document.getElementById('zoom-out').addEventListener('click', () => zoomBy(0.8));
  document.getElementById('zoom-fit').addEventListener('click', () => fit());

  // Undo and redo: the same command stack the canvas's Ctrl+Z / Ctrl+Y use.
  const commandStack = modeler.get('commandStack');
  const undoButton = document.getElementById('undo');
  const redoButton = document.getElementById('redo');
  function syncUndo() {
    if (undoButton) undoButton.disabled = !commandStack.canUndo();
    if (redoButton) redoButton.disabled = !commandStack.canRedo();
  }
  if (undoButton) undoButton.addEventListener('click', () => { commandStack.undo(); syncUndo(); });
  if (redoButton) redoButton.addEventListener('click', () => { commandStack.redo(); syncUndo(); });
  modeler.on('commandStack.changed', syncUndo);

  const saveButton = document.getElementById('save');
  if (saveButton) saveButton.addEventListener('click', () => save().catch((error) => {
    status.textContent = `Not saved: ${error.message}`;
  }));

  // Each lane says which of this procedure's roles work it: moving a task into a lane is choosing who does it.
  function showLaneRoles() {
    registry.filter((shape) => shape.type === 'bpmn:Lane').forEach((lane) => {
      const roles = (data.lanes[lane.businessObject.name] || []).map((role) => data.roles[role] || role);
      overlays.remove({ element: lane.id, type: 'lane-roles' });
      overlays.add(lane.id, 'lane-roles', { position: { top: 4, left: 36 },
        html: el('span', { class: 'lane-roles' }, roles.length ? `Worked by: ${roles.join(', ')}`
          : 'No role works this lane') });
    });
  }

  // Every diagram (the procedure, or a sub-process drilled into) opens whole, fitted to the canvas, the first
  // time it is shown; going back, bpmn-js restores where the owner left it. Fitted to what is left of the canvas
  // once the palette (on the left), the breadcrumbs (along the top, over a sub-process) and the minimap (top
  // right) have their room: fitted edge to edge, the first lane's name, the first task or the last would sit
  // under them, and could not be read or clicked. The diagram goes beside the minimap or below it, whichever
  // shows it larger (a wide procedure below, a tall sub-process beside).
  const fit = () => {
    const container = canvas.getContainer();
    const outer = container.getBoundingClientRect();
    const palette = container.querySelector('.djs-palette');
    const left = (palette ? palette.getBoundingClientRect().right - outer.left : 0) + 24;
    const minimap = container.querySelector('.djs-minimap');
    const map = minimap ? minimap.getBoundingClientRect() : null;
    const rooms = [{ top: 80, right: 40 + (map ? outer.right - map.left : 0) },
                   { top: Math.max(80, map ? map.bottom - outer.top + 16 : 0), right: 40 }];
    const { inner } = canvas.viewbox();
    let best = null;
    rooms.forEach(({ top, right }) => {
      const width = outer.width - left - right, height = outer.height - top - 40;
      if (width <= 0 || height <= 0) return;
      const scale = Math.min(1, width / inner.width, height / inner.height);
      if (!best || scale > best.scale) best = { scale, top, width, height };
    });
    if (!best || !inner.width || !inner.height) { // an empty diagram, or a canvas too small for any room
      canvas.zoom('fit-viewport', 'auto');
      return;
    }
    const { scale, top, width, height } = best;
    canvas.viewbox({ x: inner.x - (left + (width - inner.width * scale) / 2) / scale,
                     y: inner.y - (top + (height - inner.height * scale) / 2) / scale,
                     width: outer.width / scale, height: outer.height / scale });
  };
  const shown = new Set();
  modeler.on('root.set', ({ element }) => {
    if (shown.has(element.id)) return;
    shown.add(element.id);
    setTimeout(fit, 0); // after bpmn-js has centred the new root
  });

  modeler.importXML(JSON.parse(document.getElementById('diagram-xml').textContent)).then(({ warnings }) => {
    modeler.get('minimap').open();
    fit();
    status.textContent = warnings.length ? `Opened with ${warnings.length} warning(s).` : 'Ready.';
    syncUndo();
    showLaneRoles();
    showHeat();
    app.dataset.ready = 'yes';
  }).catch((error) => {
    status.textContent = `The diagram could not be opened: ${error.message}`;
  });
})();
