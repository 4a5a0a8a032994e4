/*
 * What the delivery needs from kratix-node's GitRequestWriter, as an interface, so the delivery can
 * be driven by the real writer in tests and in the app alike.
 */
export interface RequestWriter {
  write(input: {
    mode: 'gitops' | 'pull-request';
    repository: string;
    branch: string;
    filePath: string;
    content: string | null;
    message: string;
    author: { name: string; email: string };
    headBranch?: string;
    pullRequest?: { title: string; body: string };
    commitUrlTemplate?: string;
  }): Promise<{
    commitSha: string;
    branch: string;
    commitUrl?: string;
    pullRequestUrl?: string;
    pullRequestNumber?: number;
  }>;
  pullRequestState(
    repository: string,
    url: string,
  ): Promise<'open' | 'merged' | 'closed' | 'unknown'>;
}
