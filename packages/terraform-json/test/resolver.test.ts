// The behaviour of local/monitoring/terraform-resolver.ts, which this package replaces, kept case for case.
import {
  ResolveError,
  TerraformResolver,
  type ComputedAttribute,
  type TerraformJson,
} from '@monitored/terraform-json';

const STACK: TerraformJson = {
  locals: { link: 'https://example.com/${aws_lambda_function.fn.function_name}' },
  resource: {
    aws_lambda_function: { fn: { function_name: 'msgs-dev-api', role: '${aws_iam_role.r.arn}' } },
    aws_apigatewayv2_api: { api: { name: 'msgs-dev-api' } },
    aws_synthetics_canary: { api: { name: 'msgs-dev-api' } },
    aws_cloudwatch_log_group: {
      canary: {
        name: '/aws/lambda/${element(split(":", aws_synthetics_canary.api.engine_arn), 6)}',
      },
    },
    aws_s3_object: {
      config: { content: '${jsonencode({"apiUrl" = aws_apigatewayv2_api.api.api_endpoint})}' },
    },
    aws_cloudwatch_dashboard: {
      main: {
        dashboard_body:
          '{"widgets":[{"properties":{"metrics":[["AWS/ApiGateway","Count","ApiId","${aws_apigatewayv2_api.api.id}"]],' +
          '"query":"SOURCE \'${aws_cloudwatch_log_group.canary.name}\' | fields @message"}}]}',
      },
    },
    loop: { a: { x: '${loop.b.x}' }, b: { x: '${loop.a.x}' } },
  },
  data: { aws_caller_identity: { current: {} } },
};

const computed: ComputedAttribute = (type, _name, attribute, config) => {
  if (type === 'aws_apigatewayv2_api' && attribute === 'id') return 'local';
  if (type === 'aws_apigatewayv2_api' && attribute === 'api_endpoint')
    return 'http://127.0.0.1:3000';
  if (type === 'aws_synthetics_canary' && attribute === 'engine_arn') {
    return `arn:aws:lambda:us-west-2:000000000000:function:cwsyn-${String(config.name)}-local:1`;
  }
  if (type === 'data.aws_caller_identity' && attribute === 'account_id') return '000000000000';
  return undefined;
};

describe('TerraformResolver', () => {
  const resolver = new TerraformResolver(STACK, computed);

  it("resolves a reference to an attribute in the resource's own configuration", () => {
    expect(resolver.resolve('${aws_lambda_function.fn.function_name}')).toBe('msgs-dev-api');
  });

  it('resolves computed attributes through the stand-ins, inside templates', () => {
    expect(resolver.resolve('id ${aws_apigatewayv2_api.api.id}!')).toBe('id local!');
    expect(resolver.resolve('${data.aws_caller_identity.current.account_id}')).toBe('000000000000');
  });

  it("evaluates the functions cdktf writes: a canary's log group named from its engine ARN", () => {
    expect(resolver.attribute('aws_cloudwatch_log_group', 'canary', 'name')).toBe(
      '/aws/lambda/cwsyn-msgs-dev-api-local',
    );
    expect(JSON.parse(String(resolver.attribute('aws_s3_object', 'config', 'content')))).toEqual({
      apiUrl: 'http://127.0.0.1:3000',
    });
  });

  it("encodes as Terraform's urlencode does (its documentation's examples)", () => {
    expect(resolver.resolve('${urlencode("Hello World!")}')).toBe('Hello+World%21');
    expect(resolver.resolve('${urlencode("☃")}')).toBe('%E2%98%83');
    expect(resolver.resolve('${urlencode("foo=bar&bar=baz")}')).toBe('foo%3Dbar%26bar%3Dbaz');
    expect(
      resolver.resolve('${replace(urlencode(aws_cloudwatch_log_group.canary.name), "%", "$")}'),
    ).toBe('$2Faws$2Flambda$2Fcwsyn-msgs-dev-api-local');
  });

  it('resolves a dashboard body, whose interpolations hold quotes of their own, into parseable JSON', () => {
    const body = JSON.parse(
      String(resolver.attribute('aws_cloudwatch_dashboard', 'main', 'dashboard_body')),
    );
    expect(body.widgets[0].properties).toEqual({
      metrics: [['AWS/ApiGateway', 'Count', 'ApiId', 'local']],
      query: "SOURCE '/aws/lambda/cwsyn-msgs-dev-api-local' | fields @message",
    });
  });

  it('names what it cannot resolve instead of leaving it blank', () => {
    expect(() => resolver.resolve('${aws_lambda_function.fn.role}')).toThrow(
      new ResolveError('no resource aws_iam_role.r in the stack'),
    );
    expect(() => resolver.resolve('${aws_lambda_function.fn.arn}')).toThrow(
      /cannot resolve aws_lambda_function\.fn\.arn: it is not in the resource's configuration and has no local stand-in/,
    );
    expect(() => resolver.resolve('${timestamp()}')).toThrow(
      /timestamp\(\) is not supported locally/,
    );
    expect(() => resolver.resolve('${loop.a.x}')).toThrow(/refers to itself/);
    expect(() => resolver.resolve('${aws_lambda_function.fn.function_name')).toThrow(ResolveError);
  });

  it('resolves local values', () => {
    expect(resolver.resolve('${local.link}')).toBe('https://example.com/msgs-dev-api');
    expect(() => resolver.resolve('${local.none}')).toThrow(/no local value local\.none/);
  });

  it('resolves an input variable to its default, as a plan without inputs does, and names one without', () => {
    const withVariables = new TerraformResolver(
      { variable: { repository: { default: 'octo-org/octo-repo' }, unset: {} } },
      () => undefined,
    );
    expect(withVariables.resolve('repo:${var.repository}:environment:dev')).toBe(
      'repo:octo-org/octo-repo:environment:dev',
    );
    expect(() => withVariables.resolve('${var.unset}')).toThrow(/no variable var\.unset/);
    expect(() => withVariables.resolve('${var.none}')).toThrow(/no variable var\.none/);
  });

  it('leaves escaped interpolations as text', () => {
    expect(resolver.resolve('$${not.a.reference}')).toBe('${not.a.reference}');
  });
});
