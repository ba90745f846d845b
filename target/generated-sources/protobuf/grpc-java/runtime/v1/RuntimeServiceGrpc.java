package runtime.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Only Version is served; every other RuntimeService method answers UNIMPLEMENTED.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class RuntimeServiceGrpc {

  private RuntimeServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "runtime.v1.RuntimeService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<runtime.v1.VersionRequest,
      runtime.v1.VersionResponse> getVersionMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Version",
      requestType = runtime.v1.VersionRequest.class,
      responseType = runtime.v1.VersionResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<runtime.v1.VersionRequest,
      runtime.v1.VersionResponse> getVersionMethod() {
    io.grpc.MethodDescriptor<runtime.v1.VersionRequest, runtime.v1.VersionResponse> getVersionMethod;
    if ((getVersionMethod = RuntimeServiceGrpc.getVersionMethod) == null) {
      synchronized (RuntimeServiceGrpc.class) {
        if ((getVersionMethod = RuntimeServiceGrpc.getVersionMethod) == null) {
          RuntimeServiceGrpc.getVersionMethod = getVersionMethod =
              io.grpc.MethodDescriptor.<runtime.v1.VersionRequest, runtime.v1.VersionResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Version"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  runtime.v1.VersionRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  runtime.v1.VersionResponse.getDefaultInstance()))
              .setSchemaDescriptor(new RuntimeServiceMethodDescriptorSupplier("Version"))
              .build();
        }
      }
    }
    return getVersionMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static RuntimeServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<RuntimeServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<RuntimeServiceStub>() {
        @java.lang.Override
        public RuntimeServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new RuntimeServiceStub(channel, callOptions);
        }
      };
    return RuntimeServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static RuntimeServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<RuntimeServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<RuntimeServiceBlockingV2Stub>() {
        @java.lang.Override
        public RuntimeServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new RuntimeServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return RuntimeServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static RuntimeServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<RuntimeServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<RuntimeServiceBlockingStub>() {
        @java.lang.Override
        public RuntimeServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new RuntimeServiceBlockingStub(channel, callOptions);
        }
      };
    return RuntimeServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static RuntimeServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<RuntimeServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<RuntimeServiceFutureStub>() {
        @java.lang.Override
        public RuntimeServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new RuntimeServiceFutureStub(channel, callOptions);
        }
      };
    return RuntimeServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Only Version is served; every other RuntimeService method answers UNIMPLEMENTED.
   * </pre>
   */
  public interface AsyncService {

    /**
     */
    default void version(runtime.v1.VersionRequest request,
        io.grpc.stub.StreamObserver<runtime.v1.VersionResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getVersionMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service RuntimeService.
   * <pre>
   * Only Version is served; every other RuntimeService method answers UNIMPLEMENTED.
   * </pre>
   */
  public static abstract class RuntimeServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return RuntimeServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service RuntimeService.
   * <pre>
   * Only Version is served; every other RuntimeService method answers UNIMPLEMENTED.
   * </pre>
   */
  public static final class RuntimeServiceStub
      extends io.grpc.stub.AbstractAsyncStub<RuntimeServiceStub> {
    private RuntimeServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected RuntimeServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new RuntimeServiceStub(channel, callOptions);
    }

    /**
     */
    public void version(runtime.v1.VersionRequest request,
        io.grpc.stub.StreamObserver<runtime.v1.VersionResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getVersionMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service RuntimeService.
   * <pre>
   * Only Version is served; every other RuntimeService method answers UNIMPLEMENTED.
   * </pre>
   */
  public static final class RuntimeServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<RuntimeServiceBlockingV2Stub> {
    private RuntimeServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected RuntimeServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new RuntimeServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     */
    public runtime.v1.VersionResponse version(runtime.v1.VersionRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getVersionMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service RuntimeService.
   * <pre>
   * Only Version is served; every other RuntimeService method answers UNIMPLEMENTED.
   * </pre>
   */
  public static final class RuntimeServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<RuntimeServiceBlockingStub> {
    private RuntimeServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected RuntimeServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new RuntimeServiceBlockingStub(channel, callOptions);
    }

    /**
     */
    public runtime.v1.VersionResponse version(runtime.v1.VersionRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getVersionMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service RuntimeService.
   * <pre>
   * Only Version is served; every other RuntimeService method answers UNIMPLEMENTED.
   * </pre>
   */
  public static final class RuntimeServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<RuntimeServiceFutureStub> {
    private RuntimeServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected RuntimeServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new RuntimeServiceFutureStub(channel, callOptions);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<runtime.v1.VersionResponse> version(
        runtime.v1.VersionRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getVersionMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_VERSION = 0;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final AsyncService serviceImpl;
    private final int methodId;

    MethodHandlers(AsyncService serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_VERSION:
          serviceImpl.version((runtime.v1.VersionRequest) request,
              (io.grpc.stub.StreamObserver<runtime.v1.VersionResponse>) responseObserver);
          break;
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getVersionMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              runtime.v1.VersionRequest,
              runtime.v1.VersionResponse>(
                service, METHODID_VERSION)))
        .build();
  }

  private static abstract class RuntimeServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    RuntimeServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return runtime.v1.Api.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("RuntimeService");
    }
  }

  private static final class RuntimeServiceFileDescriptorSupplier
      extends RuntimeServiceBaseDescriptorSupplier {
    RuntimeServiceFileDescriptorSupplier() {}
  }

  private static final class RuntimeServiceMethodDescriptorSupplier
      extends RuntimeServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    RuntimeServiceMethodDescriptorSupplier(java.lang.String methodName) {
      this.methodName = methodName;
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return getServiceDescriptor().findMethodByName(methodName);
    }
  }

  private static volatile io.grpc.ServiceDescriptor serviceDescriptor;

  public static io.grpc.ServiceDescriptor getServiceDescriptor() {
    io.grpc.ServiceDescriptor result = serviceDescriptor;
    if (result == null) {
      synchronized (RuntimeServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new RuntimeServiceFileDescriptorSupplier())
              .addMethod(getVersionMethod())
              .build();
        }
      }
    }
    return result;
  }
}
