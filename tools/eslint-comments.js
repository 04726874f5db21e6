// The ESLint rule `comments/no-issue-numbers`: a comment in the product's code says why, in words a clone
// can follow. An issue number ("issue 13", "#6") points at a tracker outside the repository; a requirement
// id (R1–R30, docs/design/requirements.md) or a section of docs/architecture.md stays inside it.
const ISSUE_NUMBER = /\bissues? ?#?\d+/i;

export const commentsPlugin = {
  rules: {
    'no-issue-numbers': {
      meta: {
        type: 'suggestion',
        schema: [],
        docs: { description: 'Comments cite requirement ids or say why, not issue numbers' },
      },
      create(context) {
        return {
          Program() {
            for (const comment of context.sourceCode.getAllComments()) {
              const match = ISSUE_NUMBER.exec(comment.value);
              if (match === null) continue;
              context.report({
                loc: comment.loc,
                message: `'${match[0]}' points outside the repository: say why here, or cite an R-id of docs/design/requirements.md`,
              });
            }
          },
        };
      },
    },
  },
};
