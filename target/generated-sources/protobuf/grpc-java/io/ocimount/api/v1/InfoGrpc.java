package io.ocimount.api.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Version of the daemon, for `ocimount version` and health checks.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class InfoGrpc {

  private InfoGrpc() {}

  public static final java.lang.String SERVICE_NAME = "ocimount.v1.Info";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<io.ocimount.api.v1.VersionRequest,
      io.ocimount.api.v1.VersionResponse> getVersionMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Version",
      requestType = io.ocimount.api.v1.VersionRequest.class,
      responseType = io.ocimount.api.v1.VersionResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.ocimount.api.v1.VersionRequest,
      io.ocimount.api.v1.VersionResponse> getVersionMethod() {
    io.grpc.MethodDescriptor<io.ocimount.api.v1.VersionRequest, io.ocimount.api.v1.VersionResponse> getVersionMethod;
    if ((getVersionMethod = InfoGrpc.getVersionMethod) == null) {
      synchronized (InfoGrpc.class) {
        if ((getVersionMethod = InfoGrpc.getVersionMethod) == null) {
          InfoGrpc.getVersionMethod = getVersionMethod =
              io.grpc.MethodDescriptor.<io.ocimount.api.v1.VersionRequest, io.ocimount.api.v1.VersionResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Version"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.ocimount.api.v1.VersionRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.ocimount.api.v1.VersionResponse.getDefaultInstance()))
              .setSchemaDescriptor(new InfoMethodDescriptorSupplier("Version"))
              .build();
        }
      }
    }
    return getVersionMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static InfoStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<InfoStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<InfoStub>() {
        @java.lang.Override
        public InfoStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new InfoStub(channel, callOptions);
        }
      };
    return InfoStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static InfoBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<InfoBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<InfoBlockingV2Stub>() {
        @java.lang.Override
        public InfoBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new InfoBlockingV2Stub(channel, callOptions);
        }
      };
    return InfoBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static InfoBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<InfoBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<InfoBlockingStub>() {
        @java.lang.Override
        public InfoBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new InfoBlockingStub(channel, callOptions);
        }
      };
    return InfoBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static InfoFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<InfoFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<InfoFutureStub>() {
        @java.lang.Override
        public InfoFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new InfoFutureStub(channel, callOptions);
        }
      };
    return InfoFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Version of the daemon, for `ocimount version` and health checks.
   * </pre>
   */
  public interface AsyncService {

    /**
     */
    default void version(io.ocimount.api.v1.VersionRequest request,
        io.grpc.stub.StreamObserver<io.ocimount.api.v1.VersionResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getVersionMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service Info.
   * <pre>
   * Version of the daemon, for `ocimount version` and health checks.
   * </pre>
   */
  public static abstract class InfoImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return InfoGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service Info.
   * <pre>
   * Version of the daemon, for `ocimount version` and health checks.
   * </pre>
   */
  public static final class InfoStub
      extends io.grpc.stub.AbstractAsyncStub<InfoStub> {
    private InfoStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected InfoStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new InfoStub(channel, callOptions);
    }

    /**
     */
    public void version(io.ocimount.api.v1.VersionRequest request,
        io.grpc.stub.StreamObserver<io.ocimount.api.v1.VersionResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getVersionMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service Info.
   * <pre>
   * Version of the daemon, for `ocimount version` and health checks.
   * </pre>
   */
  public static final class InfoBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<InfoBlockingV2Stub> {
    private InfoBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected InfoBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new InfoBlockingV2Stub(channel, callOptions);
    }

    /**
     */
    public io.ocimount.api.v1.VersionResponse version(io.ocimount.api.v1.VersionRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getVersionMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service Info.
   * <pre>
   * Version of the daemon, for `ocimount version` and health checks.
   * </pre>
   */
  public static final class InfoBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<InfoBlockingStub> {
    private InfoBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected InfoBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new InfoBlockingStub(channel, callOptions);
    }

    /**
     */
    public io.ocimount.api.v1.VersionResponse version(io.ocimount.api.v1.VersionRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getVersionMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service Info.
   * <pre>
   * Version of the daemon, for `ocimount version` and health checks.
   * </pre>
   */
  public static final class InfoFutureStub
      extends io.grpc.stub.AbstractFutureStub<InfoFutureStub> {
    private InfoFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected InfoFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new InfoFutureStub(channel, callOptions);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.ocimount.api.v1.VersionResponse> version(
        io.ocimount.api.v1.VersionRequest request) {
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
          serviceImpl.version((io.ocimount.api.v1.VersionRequest) request,
              (io.grpc.stub.StreamObserver<io.ocimount.api.v1.VersionResponse>) responseObserver);
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
              io.ocimount.api.v1.VersionRequest,
              io.ocimount.api.v1.VersionResponse>(
                service, METHODID_VERSION)))
        .build();
  }

  private static abstract class InfoBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    InfoBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return io.ocimount.api.v1.Ocimount.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("Info");
    }
  }

  private static final class InfoFileDescriptorSupplier
      extends InfoBaseDescriptorSupplier {
    InfoFileDescriptorSupplier() {}
  }

  private static final class InfoMethodDescriptorSupplier
      extends InfoBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    InfoMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (InfoGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new InfoFileDescriptorSupplier())
              .addMethod(getVersionMethod())
              .build();
        }
      }
    }
    return result;
  }
}
