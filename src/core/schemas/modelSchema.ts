// Generated from schemas/model.schema.json by scripts/schema-modules.ts: edit the schema, then run the script.
export const modelSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://spark-synth.dev/schemas/model.schema.json',
  title: 'Spark Synth model manifest',
  description:
    'model.json of a Spark Synth model folder; weights.bin beside it holds the weights as float32 little-endian in the order of `weights`. docs/model-format.md explains every field and the forward pass.',
  type: 'object',
  additionalProperties: false,
  required: ['format', 'version', 'metadataDigest', 'metadata', 'encoding', 'plans', 'model', 'seed', 'training', 'weights'],
  properties: {
    format: { const: 'spark-synth-model' },
    version: { const: 1, description: 'Format version; readers refuse any other.' },
    metadataDigest: {
      type: 'string',
      pattern: '^[0-9a-f]{16}$',
      description: "First 16 hex digits of the SHA-256 of the metadata's column choices.",
    },
    metadata: { $ref: 'https://spark-synth.dev/schemas/synth-meta.schema.json' },
    encoding: { $ref: '#/definitions/encoding' },
    plans: { type: 'array', items: { $ref: '#/definitions/plan' }, description: 'How each output column is produced, in output order.' },
    model: { $ref: '#/definitions/options' },
    network: {
      $ref: '#/definitions/network',
      description: 'Written since the format was documented; absent in older models, whose wiring follows the same rules.',
    },
    sampler: {
      description: 'Written since the format was documented; absent in older models, which sample with chunkRows 1024 and offsetClip 0.99.',
      type: 'object',
      additionalProperties: false,
      required: ['chunkRows', 'offsetClip'],
      properties: { chunkRows: { type: 'integer', minimum: 1 }, offsetClip: { type: 'number', exclusiveMinimum: 0, maximum: 1 } },
    },
    seed: { type: 'integer', description: 'Keys mask and fake.' },
    training: {
      type: 'object',
      additionalProperties: false,
      required: ['backend', 'rows', 'epochs', 'trainedAt'],
      properties: {
        backend: { enum: ['tensorflow', 'wasm', 'cpu'] },
        rows: {
          type: 'integer',
          minimum: 0,
          description: 'Rows trained on: the sample, less the holdout share when one was kept out of it.',
        },
        epochs: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['epoch', 'epochs', 'loss', 'rowsPerSecond', 'elapsedSeconds'],
            properties: {
              epoch: { type: 'integer', minimum: 1 },
              epochs: { type: 'integer', minimum: 1 },
              loss: { type: ['number', 'null'] },
              rowsPerSecond: { type: ['number', 'null'] },
              elapsedSeconds: { type: 'number' },
              seconds: { type: 'number', minimum: 0, description: 'How long the epoch took (absent in older models).' },
              holdoutLoss: {
                type: 'number',
                description:
                  'The same loss on (at most 2,048 of) the sampled rows kept out of training, when there are such rows; never stored for a differentially private model.',
              },
            },
          },
        },
        trainedAt: { type: 'string' },
        holdout: { $ref: '#/definitions/holdout' },
        privacy: { $ref: '#/definitions/privacy' },
      },
    },
    weights: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'shape'],
        properties: {
          name: { type: 'string', pattern: '^(hidden[0-9]+\\.[wb]|output\\.[wb]|direct\\.[wb]|log_sigma)$' },
          shape: { type: 'array', items: { type: 'integer', minimum: 0 }, minItems: 1, maxItems: 2 },
        },
      },
    },
  },
  definitions: {
    privacy: {
      type: 'object',
      description:
        "The whole model folder is (epsilon, delta)-differentially private: what the encodings and plans learned from the rows (noisy counts, categories and literals selected by noisy counts, DP quantiles, a noisy vote on decimals; no lookups between columns, no hashes of values, no statistics in the metadata copy, no training losses) spent `encodings`, and the network, trained with DP-SGD (per-row gradients clipped to clipNorm, Gaussian noise of noiseMultiplier × clipNorm added to each batch's sum), spent `network` by the RDP accountant of Opacus and dp-accounting over the steps actually taken; epsilon and delta are their sums (basic composition). Absent: no differential privacy.",
      additionalProperties: false,
      required: ['epsilon', 'delta', 'encodings', 'network', 'noiseMultiplier', 'clipNorm', 'samplingRate', 'steps', 'scope'],
      properties: {
        epsilon: { type: 'number', minimum: 0 },
        delta: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        encodings: {
          $ref: '#/definitions/budget',
          description: 'What the encodings and plans spent: their zCDP converted at half their δ, plus the δ of their selections.',
        },
        network: { $ref: '#/definitions/budget', description: 'What DP-SGD spent.' },
        noiseMultiplier: { type: 'number', minimum: 0 },
        clipNorm: { type: 'number', exclusiveMinimum: 0 },
        samplingRate: {
          type: 'number',
          exclusiveMinimum: 0,
          maximum: 1,
          description:
            "Batch size over rows trained on (the accountant's Poisson sampling rate; training takes shuffled batches of that size).",
        },
        steps: { type: 'integer', minimum: 0 },
        scope: {
          const: 'model',
          description:
            'The guarantee covers everything the model folder holds. The metadata document beside the data is not covered: it is not shared with the model.',
        },
      },
    },
    budget: {
      type: 'object',
      additionalProperties: false,
      required: ['epsilon', 'delta'],
      properties: { epsilon: { type: 'number', minimum: 0 }, delta: { type: 'number', minimum: 0, exclusiveMaximum: 1 } },
    },
    holdout: {
      type: 'object',
      description:
        'The real rows kept out of training, which the quality report draws again to test memorisation. Absent in older models: their report draws unsampled rows when the source has more than the sample, else splits the sample.',
      discriminator: { propertyName: 'kind' },
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'seed', 'rows'],
          description:
            'The source holds more rows than the sample: the holdout is drawn (with this seed) from the rows the sample left out, and training used the whole sample.',
          properties: {
            kind: { const: 'unsampled' },
            seed: { type: 'integer' },
            rows: { type: 'integer', minimum: 0, description: 'Holdout rows the report draws.' },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'share', 'seed', 'rows'],
          description: 'The sample is the whole source: a seeded share of it was kept out of training; training.rows counts the rest.',
          properties: {
            kind: { const: 'share' },
            share: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 0.5 },
            seed: { type: 'integer' },
            rows: { type: 'integer', minimum: 1, description: 'Sampled rows kept out of training.' },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind'],
          description: 'The sample is the whole source and no share was kept out (holdout share 0): the report cannot test memorisation.',
          properties: { kind: { const: 'none' } },
        },
      ],
    },
    category: {
      type: ['string', 'number', 'boolean', 'null'],
      description:
        'A category as learned: strings, numbers (dates and timestamps as epoch milliseconds, weekdays 0 Sunday … 6 Saturday), booleans, or null.',
    },
    encoding: {
      type: 'object',
      additionalProperties: false,
      required: ['columns', 'offsets', 'categories', 'offsetScale'],
      properties: {
        columns: {
          type: 'array',
          items: {
            type: 'object',
            discriminator: { propertyName: 'type' },
            oneOf: [{ $ref: '#/definitions/categoricalEncoding' }, { $ref: '#/definitions/numericEncoding' }],
          },
        },
        offsets: { type: 'integer', minimum: 0 },
        categories: { type: 'integer', minimum: 0 },
        offsetScale: { type: 'number', exclusiveMinimum: 0 },
      },
    },
    categoricalEncoding: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'column', 'kind', 'categories', 'start', 'size'],
      properties: {
        type: { const: 'categorical' },
        column: { type: 'string' },
        kind: { $ref: 'https://spark-synth.dev/schemas/synth-meta.schema.json#/definitions/kind' },
        calendar: { const: 'weekday' },
        categories: { type: 'array', items: { $ref: '#/definitions/category' } },
        rare: {
          type: 'object',
          additionalProperties: false,
          required: ['values', 'weights'],
          properties: {
            values: { type: 'array', items: { $ref: '#/definitions/category' }, minItems: 1 },
            weights: { type: 'array', items: { type: 'number' }, minItems: 1 },
          },
        },
        start: { type: 'integer', minimum: 0 },
        size: { type: 'integer', minimum: 1 },
      },
    },
    numericEncoding: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'column', 'kind', 'spikes', 'means', 'stds', 'integral', 'min', 'max', 'start', 'size', 'offset'],
      properties: {
        type: { const: 'numeric' },
        column: { type: 'string' },
        kind: { $ref: 'https://spark-synth.dev/schemas/synth-meta.schema.json#/definitions/kind' },
        spikes: { type: 'array', items: { type: ['number', 'null'] } },
        means: { type: 'array', items: { type: 'number' } },
        stds: { type: 'array', items: { type: 'number', exclusiveMinimum: 0 } },
        integral: { type: 'boolean' },
        decimals: { type: 'integer', minimum: 1, maximum: 6, description: 'Drawn values are rounded to this many decimals.' },
        rounding: {
          type: 'array',
          description:
            'Per number of digits, the shares of whole numbers ending in k = 0, 1, … zeros; a drawn value is rounded to 10^k, k drawn by them.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['digits', 'weights'],
            properties: {
              digits: { type: 'integer', minimum: 2 },
              weights: { type: 'array', items: { type: 'number', minimum: 0 }, minItems: 2 },
            },
          },
        },
        calibration: {
          type: 'object',
          description:
            "Quantiles, at the same evenly spaced probabilities, of the values the trained model draws in its modes and of the sample's values there; a drawn value is mapped from the first to the second.",
          additionalProperties: false,
          required: ['drawn', 'real'],
          properties: {
            drawn: { type: 'array', items: { type: 'number' }, minItems: 2 },
            real: { type: 'array', items: { type: 'number' }, minItems: 2 },
          },
        },
        min: { type: 'number' },
        max: { type: 'number' },
        start: { type: 'integer', minimum: 0 },
        size: { type: 'integer', minimum: 1 },
        offset: { type: 'integer', minimum: -1 },
      },
    },
    plan: {
      type: 'object',
      discriminator: { propertyName: 'source' },
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['column', 'source'],
          properties: { column: { type: 'string' }, source: { const: 'learned' } },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['column', 'source', 'from', 'lookup'],
          properties: {
            column: { type: 'string' },
            source: { const: 'derived' },
            from: { type: 'string' },
            lookup: {
              type: 'array',
              items: {
                type: 'array',
                items: [{ type: 'string' }, { $ref: '#/definitions/category' }],
                minItems: 2,
                additionalItems: false,
              },
            },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['column', 'source', 'profile', 'nullShare', 'forbidden'],
          properties: {
            column: { type: 'string' },
            source: { const: 'lookalike' },
            profile: {
              type: 'object',
              discriminator: { propertyName: 'type' },
              oneOf: [{ $ref: '#/definitions/identifierProfile' }, { $ref: '#/definitions/textProfile' }],
            },
            nullShare: { type: 'number', minimum: 0, maximum: 1 },
            forbidden: { type: 'array', items: { type: 'number' }, description: 'Hashes of the training values, never generated.' },
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['column', 'source', 'value', 'isDate', 'nullShare'],
          properties: {
            column: { type: 'string' },
            source: { const: 'constant' },
            value: { $ref: '#/definitions/category' },
            isDate: { type: 'boolean' },
            nullShare: { type: 'number', minimum: 0, maximum: 1 },
          },
        },
        {
          type: 'object',
          description:
            "A rule's high column (low <= high), learned as the gap high - low in unit (days for dates: 86400000 ms), rebuilt as low + gap.",
          additionalProperties: false,
          required: ['column', 'source', 'low', 'unit', 'strict'],
          properties: {
            column: { type: 'string' },
            source: { const: 'gap' },
            low: { type: 'string' },
            unit: { type: 'number', exclusiveMinimum: 0 },
            strict: { type: 'boolean' },
            decimals: {
              type: 'integer',
              minimum: 0,
              description: 'Decimals high is rounded to (0: whole numbers); absent: not rounded. Dates round to whole days by unit.',
            },
            calibration: {
              type: 'object',
              description:
                "Quantiles of the rebuilt high as drawn and of the sample's: a drawn high is mapped from one to the other (linear between quantiles), then rounded; kept only when it still keeps the rule.",
              additionalProperties: false,
              required: ['drawn', 'real'],
              properties: { drawn: { type: 'array', items: { type: 'number' } }, real: { type: 'array', items: { type: 'number' } } },
            },
          },
        },
        {
          type: 'object',
          description:
            "A member of a combination rule: the learned column `combined` holds the JSON array of the members' values; this member is item `index`.",
          additionalProperties: false,
          required: ['column', 'source', 'combined', 'index'],
          properties: {
            column: { type: 'string' },
            source: { const: 'combination' },
            combined: { type: 'string' },
            index: { type: 'integer', minimum: 0 },
          },
        },
        {
          type: 'object',
          description:
            "An expression rule's column, computed from its operands and rounded to `decimals` (0: whole numbers; absent: not rounded).",
          additionalProperties: false,
          required: ['column', 'source', 'expression'],
          properties: {
            column: { type: 'string' },
            source: { const: 'expression' },
            expression: { type: 'string' },
            decimals: { type: 'integer', minimum: 0 },
          },
        },
      ],
    },
    identifierProfile: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'format', 'min', 'max', 'templates'],
      properties: {
        type: { const: 'identifier' },
        format: { enum: ['integer', 'uuid', 'template'] },
        min: { type: ['number', 'null'] },
        max: { type: ['number', 'null'] },
        templates: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['slots', 'weight'],
            properties: {
              slots: {
                type: 'array',
                items: {
                  oneOf: [
                    { type: 'object', additionalProperties: false, required: ['literal'], properties: { literal: { type: 'string' } } },
                    {
                      type: 'object',
                      additionalProperties: false,
                      required: ['alphabet'],
                      properties: { alphabet: { type: 'string', minLength: 1 } },
                    },
                  ],
                },
              },
              weight: { type: 'number' },
            },
          },
        },
      },
    },
    textProfile: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'wordCounts', 'successors', 'wordLengths', 'capitalised'],
      properties: {
        type: { const: 'text' },
        wordCounts: { type: 'array', items: { type: 'number' } },
        successors: { type: 'object', additionalProperties: { type: 'string' } },
        wordLengths: { type: 'array', items: { type: 'number' } },
        capitalised: { type: 'number' },
      },
    },
    options: {
      type: 'object',
      additionalProperties: false,
      required: ['hidden', 'learningRate', 'finalLearningRateShare', 'batchSize', 'epochs', 'timeBudgetSeconds', 'seed'],
      properties: {
        hidden: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1 },
        learningRate: { type: 'number' },
        finalLearningRateShare: { type: 'number' },
        batchSize: { type: 'integer', minimum: 1 },
        epochs: { type: 'integer', minimum: 0 },
        timeBudgetSeconds: { type: 'number', minimum: 0 },
        seed: { type: 'integer' },
      },
    },
    network: {
      type: 'object',
      additionalProperties: false,
      required: ['inputs', 'outputs', 'logits', 'means', 'columns', 'degrees'],
      properties: {
        inputs: { type: 'integer', minimum: 0 },
        outputs: { type: 'integer', minimum: 0 },
        logits: { type: 'integer', minimum: 0 },
        means: { type: 'integer', minimum: 0 },
        columns: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['column', 'inputStart', 'inputWidth', 'logitStart', 'logitCount', 'spikes', 'modes', 'meanStart', 'sigmaStart'],
            properties: {
              column: { type: 'string' },
              inputStart: { type: 'integer', minimum: 0 },
              inputWidth: { type: 'integer', minimum: 0 },
              logitStart: { type: 'integer', minimum: 0 },
              logitCount: { type: 'integer', minimum: 0 },
              spikes: { type: 'integer', minimum: 0 },
              modes: { type: 'integer', minimum: 0 },
              meanStart: { type: 'integer', minimum: 0 },
              sigmaStart: { type: 'integer', minimum: 0 },
            },
          },
          description: 'One head per encoding column, in its order.',
        },
        degrees: {
          type: 'object',
          additionalProperties: false,
          required: ['input', 'hidden', 'output'],
          properties: {
            input: { type: 'array', items: { type: 'integer', minimum: 0 } },
            hidden: { type: 'array', items: { type: 'array', items: { type: 'integer', minimum: 0 } } },
            output: { type: 'array', items: { type: 'integer', minimum: 0 } },
          },
        },
      },
      description: "The network's wiring: widths, column heads, MADE degrees of every unit.",
    },
  },
} as const
