// Generated from schemas/quality-report.schema.json by scripts/schema-modules.ts: edit the schema, then run the script.
export const qualityReportSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://spark-synth.dev/schemas/quality-report.schema.json',
  title: 'Spark Synth quality report',
  description:
    "quality-report.json of a synthetic output: SDMetrics' QualityReport and DiagnosticReport figures of the synthetic rows against the real ones, with privacy and utility measures. quality-report.html beside it shows the same figures.",
  type: 'object',
  additionalProperties: false,
  required: [
    'generatedBy',
    'generatedAt',
    'backend',
    'rows',
    'scores',
    'diagnostic',
    'columns',
    'unscored',
    'pairs',
    'correlation',
    'privacy',
    'utility',
  ],
  properties: {
    generatedBy: { type: 'string' },
    generatedAt: { type: 'string', description: 'ISO 8601 instant.' },
    backend: { type: ['string', 'null'], description: 'The TensorFlow.js backend that sampled the synthetic rows, when known.' },
    rows: {
      type: 'object',
      additionalProperties: false,
      required: ['real', 'synthetic', 'generated', 'holdout'],
      properties: {
        real: { type: 'integer', minimum: 0, description: 'Real rows compared: those the model learned from.' },
        synthetic: {
          type: 'integer',
          minimum: 0,
          description: 'Synthetic rows compared: a seeded sample of the generated ones, as many as the real rows at most.',
        },
        generated: { type: 'integer', minimum: 0, description: 'Synthetic rows in the output.' },
        holdout: { type: 'integer', minimum: 0, description: 'Real rows the model was kept from.' },
      },
    },
    scores: {
      type: 'object',
      additionalProperties: false,
      required: ['overall', 'overallDefinition', 'columnShapes', 'columnPairTrends'],
      properties: {
        overall: { type: 'number' },
        overallDefinition: { type: 'string' },
        columnShapes: { type: 'number' },
        columnPairTrends: { type: 'number' },
      },
    },
    diagnostic: {
      type: 'object',
      description: "SDMetrics' DiagnosticReport: validity (ranges, categories, keys) and structure.",
      additionalProperties: false,
      required: ['validity', 'structure', 'columns'],
      properties: {
        validity: { type: 'number', description: 'Mean of the column checks (SDMetrics "Data Validity").' },
        structure: { type: 'number', description: 'Shared (name, Spark type) pairs over all of them (SDMetrics "Data Structure").' },
        columns: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['column', 'metric', 'score'],
            properties: {
              column: { type: 'string' },
              metric: { enum: ['BoundaryAdherence', 'CategoryAdherence', 'KeyUniqueness'] },
              score: { type: 'number' },
            },
          },
        },
      },
    },
    columns: { type: 'array', items: { $ref: '#/definitions/column' }, description: 'Worst column first.' },
    unscored: {
      type: 'array',
      description:
        "The source's columns that the quality scores and charts leave out (excluded, generated fresh, constant, or masked and faked: their written values are not the real ones), each with the reason, in source order.",
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['column', 'reason'],
        properties: { column: { type: 'string' }, reason: { type: 'string' } },
      },
    },
    pairs: {
      type: 'array',
      description: 'Every scored pair, worst first.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['columns', 'metric', 'score', 'counted'],
        properties: {
          columns: { type: 'array', items: [{ type: 'string' }, { type: 'string' }], minItems: 2, additionalItems: false },
          metric: { enum: ['CorrelationSimilarity', 'ContingencySimilarity'] },
          score: { type: 'number' },
          counted: {
            type: 'boolean',
            description: "The real pair is related enough to count in Column Pair Trends (SDMetrics' thresholds).",
          },
        },
      },
    },
    correlation: {
      type: 'object',
      description: 'Square matrices over columns, symmetric, 1 on the diagonal.',
      additionalProperties: false,
      required: ['method', 'columns', 'real', 'synthetic'],
      properties: {
        method: { type: 'string' },
        columns: { type: 'array', items: { type: 'string' } },
        real: { $ref: '#/definitions/matrix' },
        synthetic: { $ref: '#/definitions/matrix' },
      },
    },
    privacy: {
      type: 'object',
      description: "Distance to closest record: each synthetic row's nearest training row against its nearest holdout row.",
      additionalProperties: false,
      required: [
        'verdict',
        'holdout',
        'note',
        'protection',
        'differentialPrivacy',
        'columns',
        'closerToTrainShare',
        'exactCopyShare',
        'holdoutCopyShare',
        'membershipAuc',
        'medianDistanceToTrain',
        'medianDistanceToHoldout',
        'rowsCompared',
      ],
      properties: {
        verdict: {
          type: 'object',
          description: 'The verdict the report leads with: the privacy figures read for a user about to share the rows.',
          additionalProperties: false,
          required: ['level', 'headline', 'advice'],
          properties: {
            level: {
              enum: ['good', 'caution', 'risk', 'untested'],
              description:
                'good: no sign of memorisation; caution: some, or a column left unprotected; risk: training rows are copied; untested: the model saw every compared row.',
            },
            headline: { type: 'string', description: 'One sentence: the verdict and the figures behind it.' },
            advice: {
              type: 'array',
              items: { type: 'string' },
              description: 'What to do, one line per finding; empty when there is nothing to do.',
            },
          },
        },
        holdout: {
          enum: ['unsampled', 'share', 'split'],
          description:
            'unsampled: rows of the source the sample left out; share: a seeded share of the sample kept out of training; split: the model trained on every sampled row, which were split 80/20 afterwards, so the figures do not test memorisation (see note).',
        },
        note: { type: 'string', description: 'Which rows the holdout is, and how many.' },
        protection: {
          type: 'string',
          description: 'The value-protection rule the model followed (k, and the columns it does not cover), or that none is recorded.',
        },
        differentialPrivacy: {
          description:
            "The model's differential privacy as its manifest records it; null when trained without it, or when no model was at hand.",
          oneOf: [
            { type: 'null' },
            {
              type: 'object',
              additionalProperties: false,
              required: ['epsilon', 'delta', 'scope'],
              properties: {
                epsilon: { type: 'number', minimum: 0 },
                delta: { type: 'number', minimum: 0, maximum: 1 },
                scope: { const: 'model', description: 'What the guarantee covers: everything the model folder holds.' },
              },
            },
          ],
        },
        columns: {
          type: 'array',
          items: { type: 'string' },
          description:
            'The columns the distances compare: every learned column of the synthetic output as written, masked and faked ones included, so that marking a column sensitive never hides a copy.',
        },
        closerToTrainShare: {
          type: 'number',
          description:
            'Share of synthetic rows nearer to a training row than to any holdout row, a tie counting half (0.5 = no memorising).',
        },
        exactCopyShare: { type: 'number', description: 'Share of synthetic rows identical to a training row on every synthesised column.' },
        holdoutCopyShare: {
          type: 'number',
          description:
            "Share of holdout rows identical to a training row: the exact copies the data's own duplicates give a model that never saw the rows.",
        },
        membershipAuc: {
          type: 'number',
          description:
            'ROC AUC of a distance-based membership-inference attack: training rows against as many holdout rows, each scored by minus its distance to the closest synthetic row, ties counted half (0.5 = the synthetic rows do not tell members from non-members; 1 = every training row is nearer).',
        },
        medianDistanceToTrain: { type: 'number' },
        medianDistanceToHoldout: { type: 'number' },
        rowsCompared: { type: 'integer', minimum: 0, description: 'Synthetic rows the distances were measured on.' },
      },
    },
    utility: {
      type: ['object', 'null'],
      description: 'Null when no target was given or no TensorFlow was passed.',
      additionalProperties: false,
      required: ['target', 'positive', 'realAuc', 'syntheticAuc', 'ratio'],
      properties: {
        target: { type: 'string' },
        positive: { type: 'string' },
        realAuc: { type: 'number', description: 'ROC AUC on the holdout of a classifier trained on the real rows.' },
        syntheticAuc: { type: 'number', description: 'The same classifier trained on the synthetic rows (train synthetic, test real).' },
        ratio: { type: 'number' },
      },
    },
    rules: {
      type: 'array',
      description:
        "The metadata document's business rules, in its order, each judged on the synthetic rows compared, with the real rows the model learned from beside them. Absent when the document has no rules (and in reports written before rules were judged).",
      items: { $ref: '#/definitions/ruleCheck' },
    },
  },
  definitions: {
    ruleCheck: {
      type: 'object',
      additionalProperties: false,
      required: ['rule', 'description', 'verdict', 'note', 'synthetic', 'real'],
      properties: {
        rule: {
          $ref: 'https://spark-synth.dev/schemas/synth-meta.schema.json#/definitions/rule',
          description: 'The rule as the metadata document states it.',
        },
        description: { type: 'string', description: 'The rule in one line a user reads: `start` <= `end`.' },
        verdict: {
          enum: ['holds', 'fails', 'rejected', 'unchecked'],
          description:
            'holds: a kept rule (proposed or accepted) that every synthetic row compared keeps; fails: a kept rule some synthetic row breaks (a kept rule must hold on every row); rejected: not kept, so not judged; unchecked: kept, but a column it names is not in the synthetic output (see note).',
        },
        note: { type: ['string', 'null'], description: 'Why a kept rule could not be judged; null otherwise.' },
        synthetic: {
          description: 'The synthetic rows compared that keep the rule; null when it was not judged.',
          oneOf: [{ type: 'null' }, { $ref: '#/definitions/rowsKeeping' }],
        },
        real: {
          description: 'The real rows the model learned from that keep the rule, for comparison; null when it was not judged.',
          oneOf: [{ type: 'null' }, { $ref: '#/definitions/rowsKeeping' }],
        },
      },
    },
    rowsKeeping: {
      type: 'object',
      description:
        'Rows that keep a rule. A combination rule allows the value combinations of the real rows the model learned from; a rule with a null operand holds, as a SQL CHECK does.',
      additionalProperties: false,
      required: ['rows', 'keeping', 'share'],
      properties: {
        rows: { type: 'integer', minimum: 0 },
        keeping: { type: 'integer', minimum: 0 },
        share: { type: 'number', minimum: 0, maximum: 1, description: 'keeping / rows (1 when there are no rows).' },
      },
    },
    matrix: { type: 'array', items: { type: 'array', items: { type: 'number' } } },
    shares: { type: 'array', items: { type: 'number' } },
    column: {
      type: 'object',
      additionalProperties: false,
      required: ['column', 'kind', 'metric', 'score', 'histogram'],
      properties: {
        column: { type: 'string' },
        kind: { $ref: 'https://spark-synth.dev/schemas/synth-meta.schema.json#/definitions/kind' },
        metric: { enum: ['KSComplement', 'TVComplement'] },
        score: { type: 'number' },
        histogram: {
          type: 'object',
          description: 'Shares of the present values per bin; nulls are counted apart so the bars compare like with like.',
          discriminator: { propertyName: 'type' },
          oneOf: [{ $ref: '#/definitions/numericHistogram' }, { $ref: '#/definitions/categoryHistogram' }],
        },
      },
    },
    numericHistogram: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'temporal', 'edges', 'real', 'synthetic', 'realNullShare', 'syntheticNullShare'],
      properties: {
        type: { const: 'numeric' },
        temporal: { type: 'boolean', description: 'Dates and timestamps: edges are epoch milliseconds.' },
        edges: {
          type: 'array',
          items: { type: 'number' },
          description: 'Equal-width bins over the real range; synthetic values outside it fall into the outer bins.',
        },
        real: { $ref: '#/definitions/shares' },
        synthetic: { $ref: '#/definitions/shares' },
        realNullShare: { type: 'number' },
        syntheticNullShare: { type: 'number' },
      },
    },
    categoryHistogram: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'categories', 'real', 'synthetic', 'realOther', 'syntheticOther', 'realNullShare', 'syntheticNullShare'],
      properties: {
        type: { const: 'categorical' },
        categories: {
          type: 'array',
          items: { type: 'string' },
          description: 'The most frequent real categories; everything else is summed into realOther and syntheticOther.',
        },
        real: { $ref: '#/definitions/shares' },
        synthetic: { $ref: '#/definitions/shares' },
        realOther: { type: 'number' },
        syntheticOther: { type: 'number' },
        realNullShare: { type: 'number' },
        syntheticNullShare: { type: 'number' },
      },
    },
  },
} as const
