// Lambda runtime deprecation dates (phase 1: no more security patches, no new functions).
// Source: AWS Lambda Developer Guide, "Lambda runtimes" (supported and deprecated tables),
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html, read 2026-11-22.
// Update this table when AWS announces new dates; the rule's fixtures run at a fixed date.
export const RUNTIME_TABLE_DATE = '2026-11-22';

export interface RuntimeInfo { language: string; deprecated: string | undefined }

export const RUNTIMES: Record<string, RuntimeInfo> = {
  'nodejs': { language: 'Node.js', deprecated: '2016-10-31' },
  'nodejs4.3': { language: 'Node.js', deprecated: '2020-03-05' },
  'nodejs6.10': { language: 'Node.js', deprecated: '2019-08-12' },
  'nodejs8.10': { language: 'Node.js', deprecated: '2020-03-06' },
  'nodejs10.x': { language: 'Node.js', deprecated: '2021-07-30' },
  'nodejs12.x': { language: 'Node.js', deprecated: '2023-03-31' },
  'nodejs14.x': { language: 'Node.js', deprecated: '2023-12-04' },
  'nodejs16.x': { language: 'Node.js', deprecated: '2024-06-12' },
  'nodejs18.x': { language: 'Node.js', deprecated: '2025-09-01' },
  'nodejs20.x': { language: 'Node.js', deprecated: '2026-04-30' },
  'nodejs22.x': { language: 'Node.js', deprecated: '2027-04-30' },
  'nodejs24.x': { language: 'Node.js', deprecated: '2028-04-30' },
  'python2.7': { language: 'Python', deprecated: '2021-07-15' },
  'python3.6': { language: 'Python', deprecated: '2022-07-18' },
  'python3.7': { language: 'Python', deprecated: '2023-12-04' },
  'python3.8': { language: 'Python', deprecated: '2024-10-14' },
  'python3.9': { language: 'Python', deprecated: '2025-12-15' },
  'python3.10': { language: 'Python', deprecated: '2026-10-31' },
  'python3.11': { language: 'Python', deprecated: '2027-06-30' },
  'python3.12': { language: 'Python', deprecated: '2028-10-31' },
  'python3.13': { language: 'Python', deprecated: '2029-06-30' },
  'python3.14': { language: 'Python', deprecated: '2029-06-30' },
  'java8': { language: 'Java', deprecated: '2024-01-08' },
  'java8.al2': { language: 'Java', deprecated: '2026-06-30' },
  'java11': { language: 'Java', deprecated: '2026-06-30' },
  'java17': { language: 'Java', deprecated: '2029-06-30' },
  'java21': { language: 'Java', deprecated: '2029-06-30' },
  'java25': { language: 'Java', deprecated: '2029-06-30' },
  'dotnetcore1.0': { language: '.NET', deprecated: '2019-06-27' },
  'dotnetcore2.0': { language: '.NET', deprecated: '2019-05-30' },
  'dotnetcore2.1': { language: '.NET', deprecated: '2022-01-05' },
  'dotnetcore3.1': { language: '.NET', deprecated: '2023-04-03' },
  'dotnet6': { language: '.NET', deprecated: '2024-12-20' },
  'dotnet8': { language: '.NET', deprecated: '2026-11-10' },
  'dotnet10': { language: '.NET', deprecated: '2028-11-14' },
  'ruby2.5': { language: 'Ruby', deprecated: '2022-03-31' },
  'ruby2.7': { language: 'Ruby', deprecated: '2023-12-07' },
  'ruby3.2': { language: 'Ruby', deprecated: '2026-03-31' },
  'ruby3.3': { language: 'Ruby', deprecated: '2027-03-31' },
  'ruby3.4': { language: 'Ruby', deprecated: '2028-03-31' },
  'go1.x': { language: 'Go', deprecated: '2024-01-08' },
  'provided': { language: 'OS-only', deprecated: '2024-01-08' },
  'provided.al2': { language: 'OS-only', deprecated: '2026-06-30' },
  'provided.al2023': { language: 'OS-only', deprecated: undefined },
};

/** The newest runtime of each language: what a deprecated one should move to. */
export const LATEST: Record<string, string> = {
  'Node.js': 'nodejs24.x', Python: 'python3.14', Java: 'java25', '.NET': 'dotnet10', Ruby: 'ruby3.4', 'OS-only': 'provided.al2023', Go: 'provided.al2023',
};
