// SARIF 2.1.0 for GitHub code scanning and other viewers. Rule descriptors derive from rule
// metadata only (the same source as the docs pages), so every registered rule is described even
// when it found nothing. Locations are relative to SRCROOT (the working directory).
import type * as Sarif from 'sarif';
import type { RuleMeta, Severity } from '../../../../rules/api';
import type { Range } from '../../engine/engine';
import { asPath, directoryUri, fileUri, isInside, relativeUri } from '../paths';
import type { Report, ReportFinding } from '../report';
import { INFORMATION_URI, TOOL_NAME, TOOL_VERSION, ruleDocsUrl } from '../version';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = 'SRCROOT';

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = { error: 'error', warning: 'warning', info: 'note' };

/** GitHub maps security-severity to critical/high/medium/low (≥9, ≥7, ≥4, >0). */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

export function securitySeverity(meta: RuleMeta): string {
  return SECURITY_SEVERITY[meta.severity];
}

/** `iam-no-wildcard-action` → `IamNoWildcardAction` (SARIF's human-readable rule name). */
export function ruleName(id: string): string {
  return id.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

export function ruleTags(meta: RuleMeta): string[] {
  // `external/cwe/cwe-N` is the form GitHub reads to show CWE links.
  const githubCwe = meta.cwe.map((c) => `external/cwe/${c.toLowerCase()}`);
  return [...new Set([meta.category, ...meta.cwe, meta.sas, 'security', ...githubCwe])];
}

export function ruleDescriptor(meta: RuleMeta): Sarif.ReportingDescriptor {
  const facts = [
    `Category: ${meta.category}`,
    `default severity: ${meta.severity}`,
    `serverless risk: ${meta.sas}`,
    ...(meta.cwe.length ? [`weaknesses: ${meta.cwe.join(', ')}`] : []),
    `fix: ${meta.fix ?? 'none'}`,
  ];
  const helpUri = ruleDocsUrl(meta.id);
  const refs = meta.references.map((r) => `- ${r}`).join('\n');
  const cweLinks = meta.cwe.map((c) => `[${c}](https://cwe.mitre.org/data/definitions/${c.replace(/^CWE-/i, '')}.html)`).join(', ');
  const markdown = [
    `**${meta.description}**`,
    '',
    `Category: \`${meta.category}\` · Default severity: \`${meta.severity}\` · Serverless risk: ${meta.sas}` +
      (cweLinks ? ` · ${cweLinks}` : '') + ` · Fix: ${meta.fix ?? 'none'}`,
    '',
    `See the [rule documentation](${helpUri}) for why it matters, how to fix it and its limits.`,
    ...(refs ? ['', 'References:', '', refs] : []),
  ].join('\n');
  return {
    id: meta.id,
    name: ruleName(meta.id),
    shortDescription: { text: meta.description },
    fullDescription: { text: `${sentence(meta.description)} ${facts.join('; ')}.` },
    helpUri,
    help: { text: `${sentence(meta.description)} ${facts.join('; ')}. Documentation: ${helpUri}`, markdown },
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: {
      tags: ruleTags(meta),
      'security-severity': securitySeverity(meta),
      category: meta.category,
      sas: meta.sas,
      cwe: meta.cwe,
      ...(meta.fix ? { fix: meta.fix } : {}),
    },
  };
}

export function toSarif(report: Report): Sarif.Log {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  const loc = (file: string, range: Range, extra: Partial<Sarif.Region> = {}): Sarif.PhysicalLocation => ({
    artifactLocation: artifact(asPath(file), report.cwd),
    region: { ...region(range), ...extra },
  });

  const results: Sarif.Result[] = [];
  for (const f of report.files) for (const x of f.findings) results.push(result(x, f.file));

  function result(x: ReportFinding, file: string): Sarif.Result {
    const index = ruleIndex.get(x.ruleId);
    const fixes = x.fixes.filter((fx) => fx.edits.length > 0).map((fx): Sarif.Fix => {
      const byFile = new Map<string, Sarif.Replacement[]>();
      for (const e of fx.edits) {
        const target = asPath(e.file);
        const list = byFile.get(target) ?? [];
        list.push({
          deletedRegion: { ...region(e.range), charOffset: e.start, charLength: e.end - e.start },
          insertedContent: { text: e.newText },
        });
        byFile.set(target, list);
      }
      return {
        description: { text: fx.title },
        artifactChanges: [...byFile].map(([target, replacements]) => ({ artifactLocation: artifact(target, report.cwd), replacements })),
      };
    });
    return {
      ruleId: x.ruleId,
      ...(index !== undefined ? { ruleIndex: index } : {}),
      level: LEVEL[x.severity],
      kind: 'fail',
      message: { text: x.message },
      locations: [{ physicalLocation: loc(file, x.range) }],
      ...(x.related.length ? {
        relatedLocations: x.related.map((r, i): Sarif.Location => ({ id: i + 1, physicalLocation: loc(r.uri, r.range), message: { text: r.message } })),
      } : {}),
      ...(fixes.length ? { fixes } : {}),
      partialFingerprints: { 'faaslint/v1': x.fingerprint },
    };
  }

  const notifications: Sarif.Notification[] = [];
  for (const f of report.files) {
    if (f.skipped) {
      notifications.push({
        level: 'note',
        message: { text: `Skipped: ${f.skipped}` },
        locations: [{ physicalLocation: { artifactLocation: artifact(f.file, report.cwd) } }],
      });
    }
    for (const p of f.problems) {
      notifications.push({ level: LEVEL[p.severity], message: { text: p.message }, locations: [{ physicalLocation: loc(f.file, p.range) }] });
    }
  }

  const overrides: Sarif.ConfigurationOverride[] = Object.entries(report.ruleSettings)
    .filter(([id]) => ruleIndex.has(id))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, setting]) => ({
      descriptor: { id, index: ruleIndex.get(id)! },
      configuration: setting === 'off' ? { enabled: false } : { level: LEVEL[setting] },
    }));

  const run: Sarif.Run = {
    tool: {
      driver: {
        name: TOOL_NAME,
        version: TOOL_VERSION,
        semanticVersion: TOOL_VERSION,
        informationUri: INFORMATION_URI,
        rules: report.rules.map(ruleDescriptor),
      },
    },
    invocations: [{
      executionSuccessful: true,
      ...(overrides.length ? { ruleConfigurationOverrides: overrides } : {}),
      ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
    }],
    originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(report.cwd) } },
    columnKind: 'utf16CodeUnits',
    results,
  };
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

export function formatSarif(report: Report): string {
  return JSON.stringify(toSarif(report), null, 2) + '\n';
}

function artifact(file: string, cwd: string): Sarif.ArtifactLocation {
  return isInside(file, cwd) ? { uri: relativeUri(file, cwd), uriBaseId: SRCROOT } : { uri: fileUri(file) };
}

/** 0-based, end-exclusive engine range → 1-based SARIF region (endColumn is exclusive there too). */
function region(r: Range): Sarif.Region {
  return {
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  };
}

function sentence(s: string): string {
  return /[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`;
}
