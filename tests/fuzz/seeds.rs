//! The seed specs the proptests mutate: `spec/openrouter.yaml`, `tests/fixtures/ok/*.yaml`,
//! a small inline spec with operations, and any `GENERATOR_FUZZ_SEEDS`.

use std::path::PathBuf;
use std::sync::OnceLock;

use proptest::prelude::*;
use serde_json::Value;

use super::root;

/// A small spec with operations, parameters, bodies, headers and component objects, so the
/// cheap seeds also reach the operation model.
pub const OPS_SEED: &str = r##"
openapi: 3.1.0
info: {title: Ops seed, version: "1"}
servers: [{url: "https://example.com/api"}]
tags: [{name: Things}]
paths:
  /things/{id}:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: getThing
      tags: [Things]
      parameters:
        - {name: verbose, in: query, schema: {type: boolean}}
        - {name: X-Trace, in: header, required: false, schema: {type: string}}
      responses:
        '200':
          description: ok
          headers:
            X-Rate: {schema: {type: integer}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        '404': {$ref: '#/components/responses/NotFound'}
        default:
          description: error
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Problem'}
    patch:
      operationId: updateThing
      tags: [Things]
      requestBody:
        $ref: '#/components/requestBodies/ThingPatch'
      responses:
        '204': {description: updated}
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string, minLength: 1}
                kind: {type: string, enum: [a, b, c]}
                labels: {type: object, additionalProperties: {type: string}}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema:
                oneOf:
                  - $ref: '#/components/schemas/Thing'
                  - $ref: '#/components/schemas/Problem'
                discriminator:
                  propertyName: type
                  mapping:
                    thing: '#/components/schemas/Thing'
                    problem: '#/components/schemas/Problem'
components:
  parameters:
    Id: {name: id, in: path, required: true, schema: {type: string, format: uuid}}
  responses:
    NotFound:
      description: not found
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Problem'}
  requestBodies:
    ThingPatch:
      content:
        application/json:
          schema:
            allOf:
              - $ref: '#/components/schemas/Thing'
              - type: object
                properties:
                  note: {type: [string, 'null']}
  schemas:
    Thing:
      type: object
      required: [id, type]
      properties:
        id: {type: string}
        type: {type: string}
        size: {type: integer, format: int64, minimum: 0}
        tags: {type: array, items: {type: string}}
        parent: {$ref: '#/components/schemas/Thing'}
    Problem:
      type: object
      properties:
        type: {type: string}
        detail: {type: string}
"##;

pub struct Seed {
    pub name: String,
    pub text: String,
    pub value: Value,
}

pub fn seeds() -> &'static [Seed] {
    static SEEDS: OnceLock<Vec<Seed>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut files = vec![root().join("spec/openrouter.yaml")];
        let ok = root().join("tests/fixtures/ok");
        let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&ok)
            .unwrap_or_else(|e| panic!("{}: {e}", ok.display()))
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        fixtures.sort();
        files.extend(fixtures);
        let mut seeds: Vec<Seed> = files
            .into_iter()
            // A fixture whose YAML has no `serde_json::Value` (an integer beyond 64 bits,
            // which the generator reads as a float) cannot be mutated as a value; the
            // snapshot test covers it.
            .filter(|path| {
                let text = std::fs::read_to_string(path).expect("seed readable");
                serde_yaml::from_str::<Value>(&text).is_ok()
                    || !path
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("tol_"))
            })
            .map(|path| {
                let text = std::fs::read_to_string(&path).expect("seed readable");
                let value = serde_yaml::from_str(&text)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                Seed { name, text, value }
            })
            .collect();
        seeds.push(Seed {
            name: "ops_seed.yaml".into(),
            text: OPS_SEED.into(),
            value: serde_yaml::from_str(OPS_SEED).expect("OPS_SEED parses"),
        });
        for seed in &seeds {
            if let Err(e) = openapi_gen::generate(&seed.text, &seed.name) {
                panic!("seed {} must generate: {e}", seed.name);
            }
        }
        // More seeds for local runs (they need not generate), e.g. a large public spec.
        if let Some(extra) = std::env::var_os("GENERATOR_FUZZ_SEEDS") {
            for path in std::env::split_paths(&extra) {
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let value = serde_yaml::from_str(&text)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                seeds.push(Seed { name, text, value });
            }
        }
        seeds
    })
}

/// Seed index: the large SDK spec (index 0) is slow in a debug build, so it is picked
/// about one case in eight (`GENERATOR_FUZZ_SEEDS` adds more seeds: `path:path…`).
pub fn seed_index() -> impl Strategy<Value = usize> {
    let n = seeds().len();
    prop_oneof![1 => Just(0usize), 7 => 1..n]
}
