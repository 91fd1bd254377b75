// Kubernetes manifests checked against the API's schemas, without a cluster: each object is
// validated by its model in `kubernetes-models` (the OpenAPI schemas of Kubernetes, compiled to
// validators), plus a check for unknown fields, which those validators let through (the
// schemas do not forbid additional properties; the API server drops such fields, or refuses
// them with strict field validation).
//
//   import { parseManifests, validateManifests } from './lib/kube-manifests.mjs';
//   const problems = await validateManifests(parseManifests(yamlText));  // [] when all is valid
//
// Unknown fields are found by probing: each field's value is replaced in turn by a value that
// no typed schema accepts (a function); a field the schema knows then fails validation at its
// own path, an unknown one passes. Fields whose schema accepts anything (free-form JSON, such
// as a CRD's x-kubernetes-preserve-unknown-fields) cannot be told apart this way and are
// reported as unknown: keep them out of what you validate, or list them in `freeForm`.
import YAML from 'yaml';

/** Models beyond the built-in Kubernetes API: group/version -> module. */
const EXTRA_GROUPS = {
  'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
};

/** Every document of a multi-document YAML stream, empty ones dropped; a YAML error throws. */
export function parseManifests(text) {
  return YAML.parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length) throw new Error(`invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
      return doc.toJS();
    })
    .filter((o) => o !== null && o !== undefined);
}

/** The kubernetes-models class of apiVersion/kind, or undefined when none exists. */
export async function modelOf(apiVersion, kind) {
  const spec = EXTRA_GROUPS[apiVersion] ?? `kubernetes-models/${apiVersion}`;
  let mod;
  try {
    mod = await import(spec);
  } catch {
    return undefined;
  }
  const model = mod[kind];
  return typeof model === 'function' && model.kind === kind ? model : undefined;
}

const PROBE = () => undefined;

function errorsOf(model, obj) {
  try {
    new model(obj).validate();
    return [];
  } catch (e) {
    if (!Array.isArray(e.errors)) throw e;
    return e.errors;
  }
}

/** Paths (`/spec/template/...`) of the fields the model's schema does not know. */
export function unknownFields(model, obj, { freeForm = [] } = {}) {
  const unknown = [];
  const probe = (node, pathPrefix) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => probe(item, `${pathPrefix}/${i}`));
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const key of Object.keys(node)) {
      const fieldPath = `${pathPrefix}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (freeForm.includes(fieldPath)) continue;
      const saved = node[key];
      node[key] = PROBE;
      const known = errorsOf(model, obj).some((e) => e.instancePath === fieldPath || e.instancePath.startsWith(`${fieldPath}/`));
      node[key] = saved;
      if (known) probe(saved, fieldPath);
      else unknown.push(fieldPath);
    }
  };
  probe(obj, '');
  return unknown;
}

function describe(obj) {
  return `${obj?.kind ?? '?'} ${obj?.metadata?.name ?? '?'}`;
}

/**
 * Problems of each object: no model for its apiVersion/kind, schema errors, unknown fields.
 * Returns `[{ object: 'Kind name', problem }]`, empty when every object is valid.
 */
export async function validateManifests(objects, options = {}) {
  const problems = [];
  for (const obj of objects) {
    const where = describe(obj);
    if (!obj || typeof obj !== 'object' || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      problems.push({ object: where, problem: 'not a Kubernetes object (apiVersion and kind)' });
      continue;
    }
    const model = await modelOf(obj.apiVersion, obj.kind);
    if (!model) {
      problems.push({ object: where, problem: `no schema for ${obj.apiVersion} ${obj.kind}` });
      continue;
    }
    const copy = structuredClone(obj);
    for (const e of errorsOf(model, copy)) problems.push({ object: where, problem: `${e.instancePath || '/'} ${e.message ?? e.keyword}` });
    for (const p of unknownFields(model, copy, options)) problems.push({ object: where, problem: `${p}: unknown field` });
  }
  return problems;
}
