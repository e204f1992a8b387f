#!/usr/bin/env node
// Give shipped diagrams that have no diagram interchange (DI) a layout, so the browser modeler can draw them.
// Only the <bpmndi:BPMNDiagram> element is added; the hand-written process XML and its comments are kept as is.
// Usage: node bin/layout-diagrams.mjs processes/*.bpmn
import { readFileSync, writeFileSync } from 'node:fs';
import { layoutProcess } from 'bpmn-auto-layout';

const NAMESPACES = {
  bpmndi: 'http://www.omg.org/spec/BPMN/20100524/DI',
  dc: 'http://www.omg.org/spec/DD/20100524/DC',
  di: 'http://www.omg.org/spec/DD/20100524/DI',
};

for (const path of process.argv.slice(2)) {
  const source = readFileSync(path, 'utf8');
  if (source.includes('BPMNDiagram')) {
    console.log(`${path}: already laid out`);
    continue;
  }
  const laidOut = await layoutProcess(source);
  const diagram = laidOut.match(/<bpmndi:BPMNDiagram[\s\S]*<\/bpmndi:BPMNDiagram>/);
  if (!diagram) throw new Error(`${path}: the layout produced no diagram`);
  let result = source.replace(/\s*<\/bpmn:definitions>\s*$/, `\n  ${diagram[0]}\n</bpmn:definitions>\n`);
  for (const [prefix, uri] of Object.entries(NAMESPACES)) {
    if (!result.includes(`xmlns:${prefix}=`)) {
      result = result.replace('<bpmn:definitions ', `<bpmn:definitions xmlns:${prefix}="${uri}" `);
    }
  }
  writeFileSync(path, result);
  console.log(`${path}: laid out`);
}
