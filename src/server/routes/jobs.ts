import type { FastifyInstance } from 'fastify';
import { getJob } from '../../config/load.js';
import { JobListCache } from '../../services/console-jobs.js';
import { auditFrom, requireRole } from '../auth/guard.js';
import { actorOf, sendProblem, type ApiDeps } from './api-deps.js';
import { bool, errorSchema, jobParams, jobSummarySchema, object, str } from './schemas.js';

const tags = ['jobs'];
/** how long the dashboard's job list (its ledger counts) is reused: see JobListCache */
const JOB_LIST_TTL_MS = 2000;
const pauseAnswer = object({ job: str, paused: bool });

/** The jobs: their list (dashboard), run now, pause and resume a schedule. */
export async function jobsRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const ctx = deps.env;
  const list = new JobListCache(ctx, JOB_LIST_TTL_MS, deps.now);

  app.get('/jobs', {
    schema: {
      tags,
      summary: 'Every job: schedule, next and last run, ledger counts, deadlines, whether paused (counts up to 2 s old)',
      response: { 200: object({ jobs: { type: 'array', items: jobSummarySchema } }) },
    },
    preHandler: requireRole('viewer'),
  }, async () => {
    const paused = new Map((await ctx.store.pausedJobs()).map((p) => [p.job, p.by]));
    const jobs = await list.jobs();
    return {
      jobs: jobs.map((j) => {
        const by = paused.get(j.name);
        // a paused schedule does not fire: it has no next run until resumed
        const schedule = j.schedule && by !== undefined ? { ...j.schedule, nextRunAt: null } : j.schedule;
        return { ...j, schedule, paused: by !== undefined, pausedBy: by ?? null };
      }),
    };
  });

  app.post<{ Params: { job: string } }>('/jobs/:job/runs', {
    schema: {
      tags,
      summary: 'Run a job now (in the background); 409 when it is running',
      params: jobParams,
      response: { 202: object({ runId: str }), 409: errorSchema, 503: errorSchema },
    },
    preHandler: requireRole('operator'),
  }, async (request, reply) => {
    const job = getJob(ctx.loaded, request.params.job);
    if (!deps.scheduler) return sendProblem(reply, 503, 'SCHEDULER_OFF', 'this process runs no scheduler: run the job with "lienthong run"', 'config');
    const started = await deps.scheduler.runNow(job.name);
    list.forget();
    if ('alreadyRunning' in started) {
      await auditFrom(request, 'job.run', job.name, { reason: 'running' }, 'failed');
      return sendProblem(reply, 409, 'JOB_RUNNING', `job ${job.name} is running: wait for its run to end`, 'transient');
    }
    await auditFrom(request, 'job.run', job.name, { runId: started.runId });
    return reply.code(202).send({ runId: started.runId });
  });

  app.post<{ Params: { job: string } }>('/jobs/:job/pause', {
    schema: { tags, summary: "Pause a job's schedule (runs asked for by hand still run)", params: jobParams, response: { 200: pauseAnswer } },
    preHandler: requireRole('operator'),
  }, async (request) => {
    const job = getJob(ctx.loaded, request.params.job);
    const by = actorOf(request).username;
    // the scheduler keeps the pause in the store; without one (tests, a console alone) the store is told directly
    if (deps.scheduler) await deps.scheduler.pause(job.name, by);
    else await ctx.store.pauseJob(job.name, by);
    list.forget();
    await auditFrom(request, 'job.pause', job.name, {});
    return { job: job.name, paused: true };
  });

  app.post<{ Params: { job: string } }>('/jobs/:job/resume', {
    schema: { tags, summary: "Resume a job's paused schedule", params: jobParams, response: { 200: pauseAnswer } },
    preHandler: requireRole('operator'),
  }, async (request) => {
    const job = getJob(ctx.loaded, request.params.job);
    if (deps.scheduler) await deps.scheduler.resume(job.name);
    else await ctx.store.resumeJob(job.name);
    list.forget();
    await auditFrom(request, 'job.resume', job.name, {});
    return { job: job.name, paused: false };
  });
}
