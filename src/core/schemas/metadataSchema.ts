// Generated from schemas/synth-meta.schema.json by scripts/schema-modules.ts: edit the schema, then run the script.
export const metadataSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://spark-synth.dev/schemas/synth-meta.schema.json',
  title: 'Spark Synth metadata document',
  description:
    'Per-column metadata of a sampled Spark table: what Spark Synth learned and what the user chose. Lives beside the data as <name>.synth-meta.json.',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'source', 'columns'],
  properties: {
    $schema: { type: 'string', description: 'Where editors find the JSON Schema; kept when present.' },
    version: { const: 1, description: 'Format version of this document.' },
    source: {
      type: 'object',
      description: 'What was read: the input, its files and the sample taken.',
      additionalProperties: false,
      required: ['path', 'format', 'files', 'rowCount', 'sampleSize', 'seed'],
      properties: {
        path: { type: 'string', minLength: 1, description: "The input, relative to this document's folder." },
        format: { enum: ['parquet', 'arrow', 'csv', 'delta'] },
        version: {
          type: 'integer',
          minimum: 0,
          description: 'Delta tables: the version read (time travel: spark.read.option("versionAsOf", ...)).',
        },
        timestamp: {
          type: 'string',
          pattern: '^[0-9+-]{4,7}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$',
          description: 'Delta tables: the instant the version was chosen by (timestampAsOf), when it was.',
        },
        files: {
          type: 'array',
          description: "Data files read, with their live rows (a Delta table's live files at the version read).",
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['path', 'rows'],
            properties: { path: { type: 'string' }, rows: { type: 'integer', minimum: 0 } },
          },
        },
        rowCount: { type: 'integer', minimum: 0 },
        sampleSize: { type: 'integer', minimum: 0 },
        seed: { type: 'integer' },
      },
    },
    privacy: {
      type: 'object',
      description:
        "The privacy choices for this table: value protection, the holdout, differential privacy (absent in older documents: the defaults apply). A command-line flag overrides the document; the editor's settings apply where the document is silent.",
      additionalProperties: false,
      required: ['rareValueRows'],
      properties: {
        rareValueRows: {
          type: 'integer',
          minimum: 1,
          description:
            "k: in a protected column a value seen in fewer than k sampled rows is never emitted, and numbers, dates and timestamps are clipped to the k-th smallest and k-th largest value; this document's statistics hide them too.",
        },
        holdoutShare: {
          type: 'number',
          minimum: 0,
          exclusiveMaximum: 0.5,
          description:
            "When the sample is the whole source: the share of it kept out of training for the report's memorisation test (0 keeps none out). Absent: sparkSynth.holdoutShare, else 0.1.",
        },
        epsilon: {
          oneOf: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'null' }],
          description: 'Train with differential privacy to this ε; null: without. Absent: sparkSynth.epsilon, else without.',
        },
        delta: {
          type: 'number',
          exclusiveMinimum: 0,
          exclusiveMaximum: 1,
          description: 'With epsilon: the δ. Absent: 1 / (10 × rows trained on).',
        },
      },
    },
    training: {
      type: 'object',
      description:
        "How the synthesizer trains on this table (absent in older documents: the defaults apply). A command-line flag overrides the document; the editor's settings apply where the document is silent.",
      additionalProperties: false,
      properties: {
        epochs: {
          type: 'integer',
          minimum: 1,
          maximum: 10000,
          description:
            'Passes over the sample. Absent: sparkSynth.epochs, else chosen from the sample size (20 for large samples, up to 400 for small ones).',
        },
        timeBudgetSeconds: {
          type: 'number',
          exclusiveMinimum: 0,
          description:
            'Stop training after the epoch in which this many seconds have passed. Absent: sparkSynth.timeBudgetSeconds, else no limit.',
        },
        modelSize: {
          enum: ['small', 'medium', 'large'],
          description:
            "The network's two hidden layers: small 64 units each (half the width of medium: quicker, for narrow tables or a slow machine), medium 128 (the default, measured on the bench), large 256 (for many columns with strong relationships; slower). Absent: sparkSynth.modelSize, else medium.",
        },
      },
    },
    target: {
      type: 'string',
      minLength: 1,
      description:
        'The column the quality report predicts to measure utility (a classifier trained on the synthetic rows, scored on real ones): a categorical, boolean or integer column with 2 to 20 values, kept and not rewritten. Suggested at extraction when one column reads clearly as a label; absent: utility is not measured. A --target flag overrides it.',
    },
    rules: {
      type: 'array',
      description:
        'Business rules every synthetic row keeps (checked on each row; a rule with a null operand holds, as in SQL). Extraction proposes the rules that hold on every sampled row where their columns are present, with support.rows such rows and no exception allowed; the user accepts or rejects each, or adds one (origin user). Proposed and accepted rules are kept; rejected ones are not. Absent: no rules.',
      items: { $ref: '#/definitions/rule' },
    },
    columns: { type: 'array', minItems: 1, items: { $ref: '#/definitions/column' } },
  },
  definitions: {
    rule: {
      oneOf: [
        {
          type: 'object',
          description:
            'low <= high (or low < high when strict), between two numeric columns or two date/timestamp columns: high is generated as low plus a non-negative gap.',
          additionalProperties: false,
          required: ['kind', 'status', 'origin', 'low', 'high', 'strict'],
          properties: {
            kind: { const: 'inequality' },
            low: { type: 'string', minLength: 1 },
            high: { type: 'string', minLength: 1 },
            strict: { type: 'boolean' },
            status: {
              enum: ['proposed', 'accepted', 'rejected'],
              description: 'proposed: found at extraction, kept until the user rejects it; accepted or rejected by the user.',
            },
            origin: { enum: ['detected', 'user'] },
            support: {
              type: 'object',
              additionalProperties: false,
              required: ['rows', 'exceptions'],
              description:
                'Detected rules: the sampled rows the rule was checked on (its columns present) and the exceptions among them (0: a rule is only proposed when every such row keeps it).',
              properties: { rows: { type: 'integer', minimum: 0 }, exceptions: { type: 'integer', minimum: 0 } },
            },
          },
        },
        {
          type: 'object',
          description:
            'The columns (categorical, boolean or integer) only take value combinations seen together in the sample: the combination is generated as one category.',
          additionalProperties: false,
          required: ['kind', 'status', 'origin', 'columns'],
          properties: {
            kind: { const: 'combination' },
            columns: { type: 'array', minItems: 2, uniqueItems: true, items: { type: 'string', minLength: 1 } },
            status: {
              enum: ['proposed', 'accepted', 'rejected'],
              description: 'proposed: found at extraction, kept until the user rejects it; accepted or rejected by the user.',
            },
            origin: { enum: ['detected', 'user'] },
            support: {
              type: 'object',
              additionalProperties: false,
              required: ['rows', 'exceptions'],
              description:
                'Detected rules: the sampled rows the rule was checked on (its columns present) and the exceptions among them (0: a rule is only proposed when every such row keeps it).',
              properties: { rows: { type: 'integer', minimum: 0 }, exceptions: { type: 'integer', minimum: 0 } },
            },
          },
        },
        {
          type: 'object',
          description:
            'min <= column <= max for a numeric column (either bound may be absent; exclusive when minExclusive/maxExclusive): generated values are clamped into it.',
          additionalProperties: false,
          required: ['kind', 'status', 'origin', 'column'],
          properties: {
            kind: { const: 'range' },
            column: { type: 'string', minLength: 1 },
            min: { type: 'number' },
            max: { type: 'number' },
            minExclusive: { type: 'boolean' },
            maxExclusive: { type: 'boolean' },
            status: {
              enum: ['proposed', 'accepted', 'rejected'],
              description: 'proposed: found at extraction, kept until the user rejects it; accepted or rejected by the user.',
            },
            origin: { enum: ['detected', 'user'] },
            support: {
              type: 'object',
              additionalProperties: false,
              required: ['rows', 'exceptions'],
              description:
                'Detected rules: the sampled rows the rule was checked on (its columns present) and the exceptions among them (0: a rule is only proposed when every such row keeps it).',
              properties: { rows: { type: 'integer', minimum: 0 }, exceptions: { type: 'integer', minimum: 0 } },
            },
          },
        },
        {
          type: 'object',
          description:
            'The numeric column only holds multiples of step (round amounts): generated values are rounded to the nearest multiple.',
          additionalProperties: false,
          required: ['kind', 'status', 'origin', 'column', 'step'],
          properties: {
            kind: { const: 'increment' },
            column: { type: 'string', minLength: 1 },
            step: { type: 'number', exclusiveMinimum: 0 },
            status: {
              enum: ['proposed', 'accepted', 'rejected'],
              description: 'proposed: found at extraction, kept until the user rejects it; accepted or rejected by the user.',
            },
            origin: { enum: ['detected', 'user'] },
            support: {
              type: 'object',
              additionalProperties: false,
              required: ['rows', 'exceptions'],
              description:
                'Detected rules: the sampled rows the rule was checked on (its columns present) and the exceptions among them (0: a rule is only proposed when every such row keeps it).',
              properties: { rows: { type: 'integer', minimum: 0 }, exceptions: { type: 'integer', minimum: 0 } },
            },
          },
        },
        {
          type: 'object',
          description:
            'column = expression of other numeric columns, within tolerance: the column is computed, not learned. The expression takes numbers, + - * /, parentheses and column names in backquotes, e.g. `price` * `quantity`.',
          additionalProperties: false,
          required: ['kind', 'status', 'origin', 'column', 'expression'],
          properties: {
            kind: { const: 'expression' },
            column: { type: 'string', minLength: 1 },
            expression: { type: 'string', minLength: 1, maxLength: 2000 },
            tolerance: { type: 'number', minimum: 0, description: 'Allowed absolute difference beyond float rounding; absent: 0.' },
            status: {
              enum: ['proposed', 'accepted', 'rejected'],
              description: 'proposed: found at extraction, kept until the user rejects it; accepted or rejected by the user.',
            },
            origin: { enum: ['detected', 'user'] },
            support: {
              type: 'object',
              additionalProperties: false,
              required: ['rows', 'exceptions'],
              description:
                'Detected rules: the sampled rows the rule was checked on (its columns present) and the exceptions among them (0: a rule is only proposed when every such row keeps it).',
              properties: { rows: { type: 'integer', minimum: 0 }, exceptions: { type: 'integer', minimum: 0 } },
            },
          },
        },
        {
          type: 'object',
          description:
            'No two synthetic rows share the values of these columns (nulls never clash, as in SQL): a generated row that repeats one is drawn again.',
          additionalProperties: false,
          required: ['kind', 'status', 'origin', 'columns'],
          properties: {
            kind: { const: 'unique' },
            columns: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
            status: {
              enum: ['proposed', 'accepted', 'rejected'],
              description: 'proposed: found at extraction, kept until the user rejects it; accepted or rejected by the user.',
            },
            origin: { enum: ['detected', 'user'] },
            support: {
              type: 'object',
              additionalProperties: false,
              required: ['rows', 'exceptions'],
              description:
                'Detected rules: the sampled rows the rule was checked on (its columns present) and the exceptions among them (0: a rule is only proposed when every such row keeps it).',
              properties: { rows: { type: 'integer', minimum: 0 }, exceptions: { type: 'integer', minimum: 0 } },
            },
          },
        },
      ],
    },
    kind: { enum: ['continuous', 'integer', 'categorical', 'boolean', 'date', 'timestamp', 'identifier', 'text', 'constant'] },
    column: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'sparkType', 'nullable', 'partition', 'detectedKind', 'kind', 'exclude', 'sensitive', 'nullFraction', 'stats'],
      properties: {
        name: { type: 'string', minLength: 1 },
        sparkType: { type: 'string', minLength: 1, description: 'Spark SQL DDL type, e.g. decimal(10,2).' },
        nullable: { type: 'boolean' },
        partition: { type: 'boolean', description: 'Restored from a key=value folder.' },
        detectedKind: { $ref: '#/definitions/kind', description: 'What extraction found; kind starts equal and the user may override it.' },
        kind: { $ref: '#/definitions/kind', description: 'How the column is synthesised; edit to override the detected kind.' },
        exclude: { type: 'boolean', description: 'Leave the column out of the synthetic data.' },
        excludeReason: { type: 'string' },
        sensitive: {
          enum: ['keep', 'mask', 'fake', 'exclude'],
          description: 'keep: learn values; mask: format-preserving masking; fake: realistic values never from the data; exclude: drop.',
        },
        protect: {
          type: 'boolean',
          description:
            'Value protection (see privacy.rareValueRows); absent means true. false lets rare values and extremes through verbatim.',
        },
        nullFraction: { type: 'number', minimum: 0, maximum: 1, description: 'Share of sampled rows that are null (nullValues included).' },
        nullValues: {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: { type: ['string', 'number'] },
          description:
            'Missing-value markers (such as "?" or 99999), as they appear in the data, read as null wherever the sample is read with this document: training, the report\'s real rows and this column\'s statistics. Strings for a string column, numbers for a numeric one. The synthetic column then holds nulls, so setting it from the editor makes the column nullable.',
        },
        precisionNote: {
          type: 'string',
          minLength: 1,
          description:
            "Present when the sample holds some values less precisely than Spark: bigint and decimal values beyond the size where doubles are spaced wider than the type's steps, held as the nearest double.",
        },
        hints: {
          type: 'array',
          minItems: 1,
          description:
            'Values found at extraction that look like missing-value markers rather than data, most frequent first; list one in nullValues to read it as null.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'value', 'rows'],
            properties: {
              kind: {
                enum: ['token', 'number'],
                description:
                  'token: a string such as ?, N/A, NA, NULL, None, NaN, -, empty or blank; number: the largest or smallest value, made of 9s (99999, -999) or -1, repeated and standing apart from the other values.',
              },
              value: { type: ['string', 'number'], description: 'The value as it appears in the data.' },
              rows: { type: 'integer', minimum: 1, description: 'Sampled rows holding it.' },
            },
          },
        },
        stats: {
          type: 'object',
          description:
            "Statistics fitting the column's kind, from the sample's non-null values; exactly one group is present (none for all-null columns).",
          additionalProperties: false,
          properties: {
            numeric: { $ref: '#/definitions/numericStats' },
            temporal: { $ref: '#/definitions/temporalStats' },
            categories: { $ref: '#/definitions/categoryStats' },
            text: { $ref: '#/definitions/textStats' },
          },
        },
      },
    },
    numberQuantiles: {
      type: 'object',
      required: ['p01', 'p05', 'p25', 'p50', 'p75', 'p95', 'p99'],
      additionalProperties: false,
      properties: {
        p01: { type: 'number' },
        p05: { type: 'number' },
        p25: { type: 'number' },
        p50: { type: 'number' },
        p75: { type: 'number' },
        p95: { type: 'number' },
        p99: { type: 'number' },
      },
    },
    instantQuantiles: {
      type: 'object',
      description: 'ISO 8601 dates or instants.',
      required: ['p01', 'p05', 'p25', 'p50', 'p75', 'p95', 'p99'],
      additionalProperties: false,
      properties: {
        p01: { type: 'string' },
        p05: { type: 'string' },
        p25: { type: 'string' },
        p50: { type: 'string' },
        p75: { type: 'string' },
        p95: { type: 'string' },
        p99: { type: 'string' },
      },
    },
    histogram: {
      type: 'object',
      required: ['edges', 'counts'],
      additionalProperties: false,
      properties: {
        edges: {
          type: 'array',
          items: { type: ['number', 'string'] },
          description: 'Bin edges, one more than counts; numbers, or ISO strings for dates and timestamps.',
        },
        counts: { type: 'array', items: { type: 'integer', minimum: 0 } },
      },
    },
    numericStats: {
      type: 'object',
      required: ['min', 'max', 'mean', 'std', 'quantiles', 'distinct', 'nanCount', 'histogram'],
      additionalProperties: false,
      properties: {
        min: { type: 'number' },
        max: { type: 'number' },
        mean: { type: 'number' },
        std: { type: 'number' },
        quantiles: { $ref: '#/definitions/numberQuantiles' },
        distinct: { type: 'integer', minimum: 0 },
        nanCount: { type: 'integer', minimum: 0 },
        histogram: { $ref: '#/definitions/histogram' },
      },
    },
    temporalStats: {
      type: 'object',
      required: ['min', 'max', 'quantiles', 'distinct', 'histogram'],
      additionalProperties: false,
      properties: {
        min: { type: 'string' },
        max: { type: 'string' },
        quantiles: { $ref: '#/definitions/instantQuantiles' },
        distinct: { type: 'integer', minimum: 0 },
        histogram: { $ref: '#/definitions/histogram' },
      },
    },
    categoryStats: {
      type: 'object',
      required: ['distinct', 'top', 'otherCount'],
      additionalProperties: false,
      properties: {
        distinct: { type: 'integer', minimum: 0 },
        top: {
          type: 'array',
          description: 'The most frequent values, most frequent first, at most 30 of them.',
          items: {
            type: 'object',
            required: ['value', 'count'],
            additionalProperties: false,
            properties: { value: { type: ['string', 'number', 'boolean'] }, count: { type: 'integer', minimum: 0 } },
          },
        },
        otherCount: { type: 'integer', minimum: 0, description: 'Rows holding a value not listed in top.' },
      },
    },
    textStats: {
      type: 'object',
      required: ['distinct', 'length', 'pattern'],
      additionalProperties: false,
      properties: {
        distinct: { type: 'integer', minimum: 0 },
        length: {
          type: 'object',
          required: ['min', 'max', 'mean'],
          additionalProperties: false,
          properties: { min: { type: 'number' }, max: { type: 'number' }, mean: { type: 'number' } },
        },
        pattern: { type: 'string', description: 'The shape most values share: uuid, email, digits, hex, alphanumeric, words or mixed.' },
      },
    },
  },
} as const
