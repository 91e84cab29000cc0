/** The documents this example sends; codegen reads them (the GraphQL comment marks them) and types them. */

export const OPERATIONS_BY_ORIGIN = /* GraphQL */ `
  query OperationsByOrigin($origin: [String!], $after: String) {
    operations(first: 100, after: $after, filter: { originCountry: $origin }, orderBy: { field: FIRST_DISCLOSED, direction: DESC }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        key
        name
        categories
        firstDisclosedOn
        origins {
          confidence
          country {
            code
            name
          }
        }
        platforms {
          key
          name
        }
      }
    }
  }
`;

export const CATEGORY_CHART = /* GraphQL */ `
  query CategoryChart($filter: OperationFilter) {
    operationStats(filter: $filter) {
      by(dimension: CATEGORY, limit: 20) {
        denominator
        buckets {
          kind
          key
          label
          count
          share
        }
      }
    }
  }
`;
